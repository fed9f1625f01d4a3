package dev.kubelogs.job.metrics.config;

/** Prometheus' relabel actions, by their names in the YAML. */
public enum RelabelAction {
    REPLACE("replace"),
    KEEP("keep"),
    DROP("drop"),
    KEEPEQUAL("keepequal"),
    DROPEQUAL("dropequal"),
    HASHMOD("hashmod"),
    LABELMAP("labelmap"),
    LABELDROP("labeldrop"),
    LABELKEEP("labelkeep"),
    LOWERCASE("lowercase"),
    UPPERCASE("uppercase");

    private final String yamlName;

    RelabelAction(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}

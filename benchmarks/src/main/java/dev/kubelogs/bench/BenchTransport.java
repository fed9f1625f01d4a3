package dev.kubelogs.bench;

import java.util.Locale;
import picocli.CommandLine;

/** How segments travel from the collectors to the job in an e2e run. */
public enum BenchTransport {
    /** The spool (the embedded default): segment files the job discovers by listing. */
    SPOOL(null),
    /** A Kinesis data stream on a local Kinesis-compatible server: one record per segment. */
    KINESIS("k8s/kinesis");

    private final String overlay;

    BenchTransport(String overlay) {
        this.overlay = overlay;
    }

    /** The variant of the manifests that ships this transport: an overlay of {@code k8s/manifests}, or null (them). */
    String overlay() {
        return overlay;
    }

    /** The option's value: {@code spool} or {@code kinesis}, in any case. */
    static BenchTransport parse(String value) {
        for (BenchTransport t : values()) {
            if (t.name().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new CommandLine.TypeConversionException("--transport must be spool or kinesis, not '" + value + "'");
    }

    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli's converter for {@link #parse}. */
    static final class Converter implements CommandLine.ITypeConverter<BenchTransport> {
        @Override
        public BenchTransport convert(String value) {
            return parse(value);
        }
    }
}

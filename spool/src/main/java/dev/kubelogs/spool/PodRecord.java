package dev.kubelogs.spool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A POD record: what the collector learnt of one pod on its node from the kubelet's {@code /pods}, spooled in a
 * segment's POD entry ({@link PodEntry}) as compact UTF-8 JSON for the job's metadata join:
 * <pre>
 * {"event":"upsert"|"delete","observedAt":millis,"namespace":..,"name":..,"uid":..,"podIp":..,"nodeName":..,
 *  "labels":{..},"annotations":{..},"containers":[{"name":..,"containerId":"64 hex, runtime prefix stripped",
 *  "imageId":..,"image":..[,"ephemeral":true]}]}
 * </pre>
 * "ephemeral" is written only for an ephemeral container's status (so a pod without one has the bytes, and the
 * collector's hash, it always had); a record without it lists no ephemeral container. A delete holds event, observedAt, namespace, name and uid only. Reading is as lenient as the job always was, so
 * the records of every collector version read: unknown fields are skipped, a missing text reads as "", a number or
 * boolean as its JSON text, and an event other than "delete" is an upsert.
 */
public record PodRecord(
        Event event,
        long observedAt,
        String namespace,
        String name,
        String uid,
        String podIp,
        String nodeName,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<Container> containers) {

    public enum Event {
        UPSERT,
        DELETE
    }

    /**
     * A container status of the pod: regular containers, then init, then ephemeral ones ({@code ephemeral}: from
     * status.ephemeralContainerStatuses, which Fluent Bit's kubernetes filter does not read).
     */
    public record Container(String name, String containerId, String imageId, String image, boolean ephemeral) {
        /** A regular or init container's status. */
        public Container(String name, String containerId, String imageId, String image) {
            this(name, containerId, imageId, image, false);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    public PodRecord {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
        containers = List.copyOf(containers);
    }

    public static PodRecord upsert(
            long observedAt,
            String namespace,
            String name,
            String uid,
            String podIp,
            String nodeName,
            Map<String, String> labels,
            Map<String, String> annotations,
            List<Container> containers) {
        return new PodRecord(
                Event.UPSERT, observedAt, namespace, name, uid, podIp, nodeName, labels, annotations, containers);
    }

    public static PodRecord delete(long observedAt, String namespace, String name, String uid) {
        return new PodRecord(Event.DELETE, observedAt, namespace, name, uid, "", "", Map.of(), Map.of(), List.of());
    }

    public boolean isDelete() {
        return event == Event.DELETE;
    }

    /** namespace/name: what identifies a pod on a node. */
    public String key() {
        return key(namespace, name);
    }

    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The status entry of the container with exactly this id, or null. */
    public Container container(String containerId) {
        for (Container c : containers) {
            if (containerId.equals(c.containerId())) {
                return c;
            }
        }
        return null;
    }

    /** The record as spooled. */
    public byte[] toJson() {
        StringWriter out = new StringWriter(256);
        write(out, true);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The record without event and observedAt, written to bytes (characters outside the BMP as {@code \\u} escapes):
     * the collector hashes it to tell a changed pod, and keeps the hash in its committed state, so these bytes stay
     * as they are.
     */
    public byte[] contentJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeFields(g, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void write(Writer out, boolean withEvent) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeFields(g, withEvent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeFields(JsonGenerator g, boolean withEvent) throws IOException {
        g.writeStartObject();
        if (withEvent) {
            g.writeStringField("event", isDelete() ? "delete" : "upsert");
            g.writeNumberField("observedAt", observedAt);
        }
        g.writeStringField("namespace", namespace);
        g.writeStringField("name", name);
        g.writeStringField("uid", uid);
        if (!isDelete()) {
            g.writeStringField("podIp", podIp);
            g.writeStringField("nodeName", nodeName);
            writeMap(g, "labels", labels);
            writeMap(g, "annotations", annotations);
            g.writeArrayFieldStart("containers");
            for (Container c : containers) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("containerId", c.containerId());
                g.writeStringField("imageId", c.imageId());
                g.writeStringField("image", c.image());
                if (c.ephemeral()) {
                    g.writeBooleanField("ephemeral", true);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Reads a spooled record; an IOException when it is not JSON or not an object with a namespace and a name. */
    public static PodRecord parse(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            return parse(p);
        }
    }

    public static PodRecord parse(String json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            return parse(p);
        }
    }

    private static PodRecord parse(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("pod metadata record without namespace and name");
        }
        Event event = Event.UPSERT;
        long observedAt = 0;
        String namespace = null;
        String name = null;
        String uid = "";
        String podIp = "";
        String nodeName = "";
        Map<String, String> labels = Map.of();
        Map<String, String> annotations = Map.of();
        List<Container> containers = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "event" -> event = "delete".equals(text(p, t)) ? Event.DELETE : Event.UPSERT;
                case "observedAt" -> observedAt = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                case "namespace" -> namespace = t == JsonToken.VALUE_STRING ? p.getText() : skip(p, null);
                case "name" -> name = t == JsonToken.VALUE_STRING ? p.getText() : skip(p, null);
                case "uid" -> uid = text(p, t);
                case "podIp" -> podIp = text(p, t);
                case "nodeName" -> nodeName = text(p, t);
                case "labels" -> labels = textMap(p, t);
                case "annotations" -> annotations = textMap(p, t);
                case "containers" -> containers = containers(p, t);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new IOException("pod metadata record with text after its object");
        }
        if (namespace == null || name == null) {
            throw new IOException("pod metadata record without namespace and name");
        }
        return new PodRecord(event, observedAt, namespace, name, uid, podIp, nodeName, labels, annotations, containers);
    }

    /** A scalar's text (numbers and booleans as JSON text); "" for null, objects and arrays. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        return skip(p, "");
    }

    private static String skip(JsonParser p, String value) throws IOException {
        p.skipChildren();
        return value;
    }

    /** An object's scalar values as text (a repeated key keeps its first place and its last value). */
    private static Map<String, String> textMap(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isScalarValue() && v != JsonToken.VALUE_NULL) {
                m.put(key, p.getText());
            } else {
                p.skipChildren();
            }
        }
        return m;
    }

    private static List<Container> containers(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<Container> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != null && e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (e != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String name = "";
            String containerId = "";
            String imageId = "";
            String image = "";
            boolean ephemeral = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> name = text(p, v);
                    case "containerId" -> containerId = text(p, v);
                    case "imageId" -> imageId = text(p, v);
                    case "image" -> image = text(p, v);
                    case "ephemeral" -> ephemeral = v == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            list.add(new Container(name, containerId, imageId, image, ephemeral));
        }
        return list;
    }
}

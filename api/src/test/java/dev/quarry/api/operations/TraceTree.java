package dev.quarry.api.operations;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One trace as Zipkin's HTTP API returns it ({@code /api/v2/trace/{id}}: a flat list of spans with
 * {@code parentId} links), made a tree again, to assert on and to print as indented text: span name, service
 * and duration, children in the order they started.
 */
final class TraceTree {
    record Span(String id, String parentId, String traceId, String name, String service, String kind,
                long startMicros, long durationMicros, Map<String, String> tags, List<Span> children) {

        /** The children called {@code name}, in the order they started. */
        List<Span> children(String name) {
            return children.stream().filter(c -> c.name.equals(name)).toList();
        }

        Span child(String name) {
            List<Span> named = children(name);
            if (named.size() != 1) {
                throw new AssertionError("expected one child '" + name + "' under '" + this.name + "', found "
                        + named.size() + " among " + children.stream().map(Span::name).toList());
            }
            return named.get(0);
        }
    }

    private final Map<String, Span> byId = new LinkedHashMap<>();
    private final List<Span> roots = new ArrayList<>();
    private final List<Span> orphans = new ArrayList<>();

    TraceTree(JsonNode zipkinSpans) {
        for (JsonNode s : zipkinSpans) {
            Map<String, String> tags = new LinkedHashMap<>();
            s.path("tags").fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asText()));
            Span span = new Span(s.path("id").asText(), s.hasNonNull("parentId") ? s.get("parentId").asText() : null,
                    s.path("traceId").asText(), s.path("name").asText(),
                    s.path("localEndpoint").path("serviceName").asText(), s.path("kind").asText(""),
                    s.path("timestamp").asLong(), s.path("duration").asLong(), tags, new ArrayList<>());
            byId.put(span.id(), span);
        }
        for (Span span : byId.values()) {
            if (span.parentId() == null) roots.add(span);
            else if (byId.containsKey(span.parentId())) byId.get(span.parentId()).children().add(span);
            else orphans.add(span);
        }
        byId.values().forEach(s -> s.children().sort(Comparator.comparingLong(Span::startMicros)));
        roots.sort(Comparator.comparingLong(Span::startMicros));
    }

    List<Span> spans() {
        return List.copyOf(byId.values());
    }

    List<Span> roots() {
        return roots;
    }

    /** Spans whose parent is not in the trace: a broken link (or a parent Zipkin has not received yet). */
    List<Span> orphans() {
        return orphans;
    }

    Optional<Span> find(String name) {
        return byId.values().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The tree as indented text, one span a line: name, service, duration. */
    String print() {
        List<String[]> rows = new ArrayList<>();
        for (Span root : roots) rows(root, 0, rows);
        for (Span orphan : orphans) rows(orphan, 0, rows);
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int serviceWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            out.append(String.format("%-" + width + "s  %-" + serviceWidth + "s  %10s%n", row[0], row[1], row[2]));
        }
        return out.toString();
    }

    private static void rows(Span span, int depth, List<String[]> rows) {
        rows.add(new String[]{"  ".repeat(depth) + span.name(), span.service(), duration(span.durationMicros())});
        for (Span child : span.children()) rows(child, depth + 1, rows);
    }

    private static String duration(long micros) {
        return micros >= 1_000_000 ? String.format("%.2f s", micros / 1_000_000.0)
                : String.format("%.1f ms", micros / 1_000.0);
    }
}

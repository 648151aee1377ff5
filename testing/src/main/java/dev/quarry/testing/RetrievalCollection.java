package dev.quarry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One classic test collection from {@code datasets/}, in one shape whatever its files look like: the
 * documents (empty ones dropped, since the API rightly refuses an empty file), the queries that have at
 * least one relevant document, and their judgments on {@link RetrievalMetrics}' scale (1 = most relevant;
 * a binary collection's relevant documents all get 1, which leaves nDCG the same as binary gains would).
 * Each loader handles the pitfalls its README lists.
 */
public record RetrievalCollection(String name, List<Doc> docs, List<Query> queries,
                                  Map<Integer, Map<Integer, Integer>> grades) {
    /** Every collection, in the order benchmarks report them. */
    public static final List<String> NAMES = List.of("cranfield", "med", "cacm", "npl", "lisa");
    private static final int RELEVANT = 1;

    /** @param text what is indexed (title and abstract where the collection has both) */
    public record Doc(int id, String title, String text) {
    }

    public record Query(int number, String text) {
    }

    public static RetrievalCollection load(String name) throws IOException {
        return load(name, Datasets.root().resolve(name));
    }

    public static RetrievalCollection load(String name, Path dir) throws IOException {
        RetrievalCollection all = switch (name) {
            case "cranfield" -> cranfield(dir);
            case "med" -> med(dir);
            case "cacm" -> cacm(dir);
            case "npl" -> npl(dir);
            case "lisa" -> lisa(dir);
            default -> throw new IllegalArgumentException("unknown collection " + name + "; known: " + NAMES);
        };
        return all.judgedOnly();
    }

    /** The first {@code queries} judged queries and only the documents they judge plus {@code others} more. */
    public RetrievalCollection subset(int queries, int others) {
        List<Query> kept = this.queries.subList(0, Math.min(queries, this.queries.size()));
        java.util.Set<Integer> judged = new java.util.HashSet<>();
        for (Query q : kept) judged.addAll(grades.get(q.number()).keySet());
        List<Doc> docs = new ArrayList<>();
        int extra = 0;
        for (Doc d : this.docs) {
            if (judged.contains(d.id())) docs.add(d);
            else if (extra < others) {
                docs.add(d);
                extra++;
            }
        }
        return new RetrievalCollection(name, docs, kept, grades);
    }

    private RetrievalCollection judgedOnly() {
        List<Doc> nonEmpty = docs.stream().filter(d -> !d.text().isBlank()).toList();
        List<Query> judged = queries.stream().filter(q -> grades.getOrDefault(q.number(), Map.of()).values()
                .stream().anyMatch(RetrievalMetrics::relevant)).toList();
        return new RetrievalCollection(name, nonEmpty, judged, grades);
    }

    private static RetrievalCollection cranfield(Path dir) throws IOException {
        Cranfield c = Cranfield.load(dir);
        return new RetrievalCollection("cranfield",
                c.docs().stream().map(d -> new Doc(d.id(), d.title(), d.text())).toList(),
                c.queries().stream().map(q -> new Query(q.number(), q.text())).toList(), c.grades());
    }

    /** MED: SMART, lower case, CRLF; MED.REL is {@code qid 0 docid 1}. */
    private static RetrievalCollection med(Path dir) throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (var rec : SmartRecords.parse(Files.readString(dir.resolve("MED.ALL")))) {
            String text = rec.getOrDefault('W', "");
            docs.add(new Doc(Integer.parseInt(rec.get('I')), firstWords(text), text));
        }
        return new RetrievalCollection("med", docs, smartQueries(dir.resolve("MED.QRY")),
                qrels(dir.resolve("MED.REL"), 0, 2));
    }

    /**
     * CACM: title, abstract (half the records have none) and keywords are indexed; authors, dates and the
     * citation numbers of .X are not. Queries are .W; qrels.text is {@code qid docid 0 0}, ids zero-padded.
     */
    private static RetrievalCollection cacm(Path dir) throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (var rec : SmartRecords.parse(Files.readString(dir.resolve("cacm.all")))) {
            String title = rec.getOrDefault('T', "");
            String text = Stream.of(title, rec.getOrDefault('W', ""), rec.getOrDefault('K', ""))
                    .filter(s -> !s.isBlank()).reduce((a, b) -> a + "\n\n" + b).orElse("");
            docs.add(new Doc(Integer.parseInt(rec.get('I')), title, text));
        }
        return new RetrievalCollection("cacm", docs, smartQueries(dir.resolve("query.text")),
                qrels(dir.resolve("qrels.text"), 0, 1));
    }

    /** NPL: records are an id line, the text and a {@code /} line; queries are upper case, judgments id lists. */
    private static RetrievalCollection npl(Path dir) throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (var rec : slashRecords(dir.resolve("doc-text")).entrySet()) {
            docs.add(new Doc(rec.getKey(), firstWords(rec.getValue()), rec.getValue()));
        }
        List<Query> queries = new ArrayList<>();
        for (var rec : slashRecords(dir.resolve("query-text")).entrySet()) {
            queries.add(new Query(rec.getKey(), rec.getValue().toLowerCase(java.util.Locale.ROOT)));
        }
        Map<Integer, Map<Integer, Integer>> grades = new HashMap<>();
        for (var rec : slashRecords(dir.resolve("rlv-ass")).entrySet()) {
            for (String id : rec.getValue().trim().split("\\s+")) {
                if (!id.isEmpty()) grades.computeIfAbsent(rec.getKey(), q -> new HashMap<>()).put(Integer.parseInt(id), RELEVANT);
            }
        }
        return new RetrievalCollection("npl", docs, queries, grades);
    }

    /**
     * LISA: 14 files in name order, each record a {@code Document n} line, title lines, a blank line and the
     * abstract, ended by a line of asterisks. The damaged region repeats ids 1998 to 2001 (the first copy is
     * kept) and holds a fragment without a header (dropped, as it belongs to no record). Judgments come from
     * LISARJ.NUM ({@code qid n d1 … dn}, wrapped), because LISA.REL is corrupt.
     */
    private static RetrievalCollection lisa(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("LISA\\d\\.\\d{3}")).sorted().toList();
        }
        Map<Integer, Doc> docs = new LinkedHashMap<>();
        Pattern header = Pattern.compile("^Document\\s+(\\d+)\\s*$");
        for (Path file : files) {
            Integer id = null;
            StringBuilder text = new StringBuilder();
            for (String line : Files.readString(file).replace("\r", "").split("\n")) {
                Matcher m = header.matcher(line);
                if (m.matches()) {
                    id = Integer.parseInt(m.group(1));
                    text.setLength(0);
                } else if (line.startsWith("*****")) {
                    if (id != null) addLisa(docs, id, text.toString());
                    id = null;
                } else if (id != null) {
                    text.append(line).append('\n');
                }
            }
        }
        List<Query> queries = new ArrayList<>();
        for (String block : Files.readString(dir.resolve("LISA.QUE")).replace("\r", "").split("#")) {
            String trimmed = block.strip();
            if (trimmed.isEmpty()) continue;
            int newline = trimmed.indexOf('\n');
            queries.add(new Query(Integer.parseInt(trimmed.substring(0, newline).trim()),
                    trimmed.substring(newline + 1).strip().toLowerCase(java.util.Locale.ROOT)));
        }
        Map<Integer, Map<Integer, Integer>> grades = new HashMap<>();
        String[] numbers = Files.readString(dir.resolve("LISARJ.NUM")).trim().split("\\s+");
        for (int i = 0; i < numbers.length; ) {
            int query = Integer.parseInt(numbers[i++]);
            int count = Integer.parseInt(numbers[i++]);
            for (int j = 0; j < count; j++) {
                grades.computeIfAbsent(query, q -> new HashMap<>()).put(Integer.parseInt(numbers[i++]), RELEVANT);
            }
        }
        return new RetrievalCollection("lisa", new ArrayList<>(docs.values()), queries, grades);
    }

    private static void addLisa(Map<Integer, Doc> docs, int id, String record) {
        String text = record.strip().toLowerCase(java.util.Locale.ROOT);
        int blank = text.indexOf("\n\n");
        String title = (blank < 0 ? text : text.substring(0, blank)).replace('\n', ' ').strip();
        docs.putIfAbsent(id, new Doc(id, title, text));
    }

    private static List<Query> smartQueries(Path file) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (var rec : SmartRecords.parse(Files.readString(file))) {
            queries.add(new Query(Integer.parseInt(rec.get('I')), rec.getOrDefault('W', "")));
        }
        return queries;
    }

    /** Whitespace-separated judgments: the query id and document id at the given columns, all relevant. */
    private static Map<Integer, Map<Integer, Integer>> qrels(Path file, int queryColumn, int docColumn)
            throws IOException {
        Map<Integer, Map<Integer, Integer>> grades = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length <= Math.max(queryColumn, docColumn)) continue;
            grades.computeIfAbsent(Integer.parseInt(f[queryColumn]), q -> new HashMap<>())
                    .put(Integer.parseInt(f[docColumn]), RELEVANT);
        }
        return grades;
    }

    /** NPL's layout: an id line, then text lines, then a line holding only {@code /}. */
    private static Map<Integer, String> slashRecords(Path file) throws IOException {
        Map<Integer, String> records = new LinkedHashMap<>();
        Integer id = null;
        StringBuilder text = new StringBuilder();
        for (String line : Files.readString(file).replace("\r", "").split("\n")) {
            String trimmed = line.trim();
            if (trimmed.equals("/")) {
                if (id != null) records.put(id, text.toString().trim());
                id = null;
                text.setLength(0);
            } else if (id == null && trimmed.matches("\\d+")) {
                id = Integer.parseInt(trimmed);
            } else if (id != null) {
                text.append(line).append('\n');
            }
        }
        return records;
    }

    /** A title for collections without one: the first words of the text. */
    private static String firstWords(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, flat.lastIndexOf(' ', 80) > 0 ? flat.lastIndexOf(' ', 80) : 80);
    }
}

package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.Stats;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * bin/quarry bench ingest: Cranfield (1,400 abstracts, one document each) through the real API and worker,
 * against two references measured in the same run: the raw default model embedding the very chunks the
 * pipeline stored, and langchain4j's EmbeddingStoreIngestor into PgVectorEmbeddingStore with the
 * full-precision model, as a user would set it up.
 */
public final class IngestBenchmark {
    private final Args args;
    private final Cranfield cranfield;
    private final CranfieldIngest ingest;

    private IngestBenchmark(Args args) throws Exception {
        this.args = args;
        this.cranfield = Cranfield.load(Path.of(args.get("dataset")));
        this.ingest = new CranfieldIngest(args, cranfield);
    }

    public static void main(String[] argv) throws Exception {
        new IngestBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int rounds = Integer.parseInt(args.get("rounds", "3"));
        String runId = Long.toString(System.currentTimeMillis(), 36);
        List<Double> endToEnd = new ArrayList<>(), raw = new ArrayList<>(), peer = new ArrayList<>();
        String lastTenant = null;
        int chunks = 0;
        for (int r = 1; r <= rounds; r++) {
            lastTenant = args.get("tenant-prefix", "bench") + "-" + runId + "-" + r;
            var result = ingest.ingest(lastTenant);
            chunks = result.chunks();
            endToEnd.add(result.chunksPerSecond());
            System.out.printf("round %d: end to end %d docs, %d chunks in %.1f s = %.1f chunks/s%n", r,
                    result.documents(), result.chunks(), result.seconds(), result.chunksPerSecond());
        }
        List<String> texts = chunkTexts(lastTenant);
        EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        model.embedAll(segments(texts.subList(0, Math.min(64, texts.size())))); // load and warm up
        for (int r = 1; r <= rounds; r++) {
            long start = System.nanoTime();
            model.embedAll(segments(texts));
            double s = (System.nanoTime() - start) / 1e9;
            raw.add(texts.size() / s);
            System.out.printf("round %d: raw quantized model %d chunks in %.1f s = %.1f chunks/s%n", r, texts.size(), s, texts.size() / s);
        }
        for (int r = 1; r <= rounds; r++) {
            double rate = peer();
            peer.add(rate);
            System.out.printf("round %d: peer (EmbeddingStoreIngestor + PgVectorEmbeddingStore) %.1f segments/s%n", r, rate);
        }
        report(chunks, endToEnd, raw, peer);
    }

    private double peer() {
        URI db = URI.create(args.get("db-url").substring("jdbc:".length()));
        var store = PgVectorEmbeddingStore.builder()
                .host(db.getHost()).port(db.getPort()).database(db.getPath().substring(1))
                .user(args.get("db-user")).password(args.get("db-password"))
                .table("bench_peer_embeddings").dimension(384).createTable(true).dropTableFirst(true)
                .build();
        EmbeddingModel full = new AllMiniLmL6V2EmbeddingModel();
        DocumentSplitter splitter = DocumentSplitters.recursive(240, 40, new HuggingFaceTokenCountEstimator());
        List<Document> documents = peerDocuments(cranfield);
        int segments = splitter.splitAll(documents).size();
        var ingestor = EmbeddingStoreIngestor.builder()
                .documentSplitter(splitter).embeddingModel(full).embeddingStore(store).build();
        long start = System.nanoTime();
        ingestor.ingest(documents);
        return segments / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The peer ingests what Quarry ingests: the uploadable abstracts. The two empty ones would stop it
     * (langchain4j's Document.from refuses blank text), and the run would print no table.
     */
    static List<Document> peerDocuments(Cranfield cranfield) {
        return CranfieldIngest.uploadable(cranfield).stream()
                .map(d -> Document.from(d.text(), Metadata.from("title", d.title()))).toList();
    }

    private void report(int chunks, List<Double> endToEnd, List<Double> raw, List<Double> peer) {
        double e2e = Stats.median(endToEnd), rawM = Stats.median(raw), peerM = Stats.median(peer);
        System.out.println();
        System.out.println("| measure (median of " + endToEnd.size() + " runs) | chunks/s | runs | ratio |");
        System.out.println("|---|---:|---|---:|");
        System.out.printf("| Quarry end to end (HTTP upload → worker → pgvector), %d chunks | %s | %s | — |%n", chunks, Stats.fmt(e2e), Stats.runs(endToEnd));
        System.out.printf("| raw default model (quantized all-MiniLM-L6-v2, embedAll on the same chunks) | %s | %s | end to end = **%.2f ×** raw (target ≥ 0.85) |%n", Stats.fmt(rawM), Stats.runs(raw), e2e / rawM);
        System.out.printf("| peer: langchain4j EmbeddingStoreIngestor → PgVectorEmbeddingStore, full-precision model | %s | %s | end to end = **%.2f ×** peer (target ≥ 1.5) |%n", Stats.fmt(peerM), Stats.runs(peer), e2e / peerM);
        System.out.printf("%nmachine: %d cores, %.1f GiB max heap of this JVM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1073741824.0, System.getProperty("java.version"));
    }

    private List<String> chunkTexts(String tenant) throws SQLException {
        List<String> texts = new ArrayList<>();
        try (Connection db = ingest.connect();
             var st = db.prepareStatement("select text from chunks where tenant_id = ? order by document_id, ordinal")) {
            st.setString(1, tenant);
            ResultSet rs = st.executeQuery();
            while (rs.next()) texts.add(rs.getString(1));
        }
        return texts;
    }

    private static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }
}

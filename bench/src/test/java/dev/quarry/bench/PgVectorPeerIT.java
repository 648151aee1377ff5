package dev.quarry.bench;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import dev.quarry.testing.FakeEmbeddingModel;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's peer path (splitter, EmbeddingStoreIngestor, PgVectorEmbeddingStore) on the langchain4j core
 * this build uses, which is newer than the one the pgvector module was built against: a binary mismatch
 * would fail here, not in the middle of {@code bin/quarry bench ingest}.
 */
class PgVectorPeerIT {

    @Test
    void the_peer_ingests_and_finds_documents_on_this_builds_langchain4j_core() {
        var services = TestServices.endpoints();
        URI db = URI.create(services.jdbcUrl().substring("jdbc:".length()));
        var store = PgVectorEmbeddingStore.builder()
                .host(db.getHost()).port(db.getPort()).database(db.getPath().substring(1))
                .user(services.user()).password(services.password())
                .table("bench_peer_it").dimension(384).createTable(true).dropTableFirst(true)
                .build();
        var model = new FakeEmbeddingModel(384);
        List<Document> documents = List.of(
                Document.from("Heat transfer in a laminar boundary layer over a flat plate.", Metadata.from("title", "heat")),
                Document.from("Buckling of thin cylindrical shells under axial compression.", Metadata.from("title", "shells")),
                Document.from("Flutter of a swept wing at supersonic speed.", Metadata.from("title", "flutter")));

        EmbeddingStoreIngestor.builder().documentSplitter(DocumentSplitters.recursive(240, 40, new HuggingFaceTokenCountEstimator()))
                .embeddingModel(model).embeddingStore(store).build().ingest(documents);

        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(model.embed("buckling of cylindrical shells").content()).maxResults(3).build()).matches();
        assertThat(matches).hasSize(3);
        assertThat(matches.get(0).embedded().metadata().getString("title")).isEqualTo("shells");
    }
}

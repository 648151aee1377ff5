package dev.quarry.bench;

import dev.langchain4j.data.document.Document;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBenchmarkTest {
    /** The collection in the repository, relative to the bench module where Maven runs its tests. */
    private static final Path CRANFIELD = Path.of("../datasets/cranfield");

    @Test
    void the_peer_phase_builds_a_document_of_every_uploadable_abstract_and_skips_the_two_empty_ones() throws Exception {
        Cranfield cranfield = Cranfield.load(CRANFIELD);

        // Used to throw "text cannot be null or blank" on the two empty abstracts, so bench ingest printed no table.
        List<Document> documents = IngestBenchmark.peerDocuments(cranfield);

        assertThat(cranfield.docs()).hasSize(1400);
        assertThat(documents).hasSize(1398).allSatisfy(d -> assertThat(d.text()).isNotBlank());
    }
}

package dev.quarry.bench;

import dev.langchain4j.data.document.Document;
import dev.quarry.testing.Cranfield;
import dev.quarry.testing.Datasets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IngestBenchmarkTest {
    @Test
    void the_peer_phase_builds_a_document_of_every_uploadable_abstract_and_skips_the_two_empty_ones() throws Exception {
        Cranfield cranfield = Cranfield.load(Datasets.cranfield());

        // Used to throw "text cannot be null or blank" on the two empty abstracts, so bench ingest printed no table.
        List<Document> documents = IngestBenchmark.peerDocuments(cranfield);

        assertThat(cranfield.docs()).hasSize(1400);
        assertThat(documents).hasSize(1398).allSatisfy(d -> assertThat(d.text()).isNotBlank());
    }
}

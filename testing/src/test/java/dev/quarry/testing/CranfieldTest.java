package dev.quarry.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CranfieldTest {
    @Test
    void parses_all_documents_queries_and_judgments_by_query_position() throws Exception {
        Cranfield c = Cranfield.load(Datasets.cranfield());

        assertThat(c.docs()).hasSize(1400);
        assertThat(c.queries()).hasSize(225);
        assertThat(c.docs().get(0).id()).isEqualTo(1);
        assertThat(c.docs().get(0).title()).startsWith("experimental investigation of the aerodynamics");
        assertThat(c.docs().get(0).text()).contains("slipstream");
        // Query 2 in the qrels is the second query of cran.qry, whose .I is 002; the last is position 225.
        assertThat(c.grades()).containsKeys(1, 225);
        assertThat(c.grades().get(1)).containsEntry(184, 2);
        // cran.qry has CRLF line endings: no query may come out empty or carry a carriage return.
        assertThat(c.queries()).allSatisfy(q -> assertThat(q.text()).isNotBlank().doesNotContain("\r"));
        assertThat(c.queries().get(0).text()).startsWith("what similarity laws must be obeyed");
    }
}

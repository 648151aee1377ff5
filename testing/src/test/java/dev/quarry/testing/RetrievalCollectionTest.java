package dev.quarry.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The counts each dataset README states, so a parsing slip in any loader shows here. */
class RetrievalCollectionTest {

    @Test
    void med_has_its_documents_queries_and_judgments() throws Exception {
        RetrievalCollection med = RetrievalCollection.load("med");
        assertThat(med.docs()).hasSize(1033);
        assertThat(med.queries()).hasSize(30);
        assertThat(pairs(med)).isEqualTo(696);
        assertThat(med.queries().get(0).text()).startsWith("the crystalline lens").doesNotContain("\r");
    }

    @Test
    void cacm_drops_unjudged_queries_and_indexes_titles_abstracts_and_keywords() throws Exception {
        RetrievalCollection cacm = RetrievalCollection.load("cacm");
        assertThat(cacm.docs()).hasSize(3204);
        assertThat(cacm.queries()).hasSize(52).noneMatch(q -> q.number() == 34 || q.number() == 50);
        assertThat(pairs(cacm)).isEqualTo(796);
        assertThat(cacm.docs().get(0).text()).isEqualTo("Preliminary Report-International Algebraic Language");
        assertThat(cacm.docs()).noneMatch(d -> d.text().contains("CA581203"));
    }

    @Test
    void npl_lowercases_its_upper_case_queries() throws Exception {
        RetrievalCollection npl = RetrievalCollection.load("npl");
        assertThat(npl.docs()).hasSize(11429);
        assertThat(npl.queries()).hasSize(93);
        assertThat(pairs(npl)).isEqualTo(2083);
        assertThat(npl.queries().get(0).text()).isEqualTo(
                "measurement of dielectric constant of liquids by the use of microwave techniques");
        assertThat(npl.docs().get(0).text()).startsWith("compact memories have flexible capacities").doesNotContain("/");
    }

    @Test
    void lisa_keeps_one_copy_of_the_repeated_ids_and_reads_judgments_from_lisarj_num() throws Exception {
        RetrievalCollection lisa = RetrievalCollection.load("lisa");
        assertThat(lisa.docs()).hasSize(5999);
        assertThat(lisa.docs().stream().filter(d -> d.id() == 1998)).hasSize(1);
        assertThat(lisa.queries()).hasSize(35);
        assertThat(pairs(lisa)).isEqualTo(379);
        assertThat(lisa.grades().get(21)).hasSize(21); // LISA.REL cuts query 21 after 15 documents
        assertThat(lisa.docs().get(0).title()).isEqualTo(
                "the indian council of library and information services research and training: a proposal for consideration.");
        assertThat(lisa.queries().get(0).text()).startsWith("i am interested in").doesNotContain("#");
    }

    @Test
    void cranfield_keeps_its_graded_judgments() throws Exception {
        RetrievalCollection cranfield = RetrievalCollection.load("cranfield");
        assertThat(cranfield.docs()).hasSize(1398); // two abstracts are empty
        assertThat(cranfield.grades().get(1)).containsEntry(184, 2);
    }

    @Test
    void a_subset_keeps_every_document_its_queries_judge() throws Exception {
        RetrievalCollection med = RetrievalCollection.load("med").subset(5, 100);
        assertThat(med.queries()).hasSize(5);
        var ids = med.docs().stream().map(RetrievalCollection.Doc::id).toList();
        for (var q : med.queries()) assertThat(ids).containsAll(med.grades().get(q.number()).keySet());
    }

    private static long pairs(RetrievalCollection c) {
        return c.queries().stream().mapToLong(q -> c.grades().get(q.number()).values().stream()
                .filter(RetrievalMetrics::relevant).count()).sum();
    }
}

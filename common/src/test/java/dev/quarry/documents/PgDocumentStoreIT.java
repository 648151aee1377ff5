package dev.quarry.documents;

import dev.quarry.documents.PgDocumentStore.Indexing;
import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = CommonTestApplication.class)
class PgDocumentStoreIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired PgDocumentStore documents;
    @Autowired PgDocumentTexts texts;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void the_status_check_constraint_lists_exactly_the_enum() {
        String definition = jdbc.queryForObject("""
                select pg_get_constraintdef(c.oid) from pg_constraint c
                where c.conrelid = 'documents'::regclass and c.contype = 'c'
                  and pg_get_constraintdef(c.oid) like '%status%'""", String.class);
        Matcher quoted = Pattern.compile("'([A-Z_]+)'").matcher(definition);
        List<String> allowed = quoted.results().map(m -> m.group(1)).toList();

        assertThat(allowed).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(DocumentStatus.values()).map(Enum::name).toList());
    }

    @Test
    void a_new_document_is_pending_and_reads_back_as_stored() {
        UUID id = insert("acme");

        DocumentView view = documents.find("acme", id).orElseThrow();
        assertThat(view.status()).isEqualTo(DocumentStatus.PENDING);
        assertThat(view.tags()).containsExactly("a", "b");
        assertThat(view.sha256()).isEqualTo("sha-1");
        assertThat(documents.find("other", id)).as("another tenant's").isEmpty();
        assertThat(documents.content("acme", id, "sha-1").orElseThrow().bytes()).containsExactly(1, 2, 3);
        assertThat(documents.content("acme", id, "sha-2")).as("another content").isEmpty();
    }

    @Test
    void marking_indexed_needs_the_same_tenant_and_content() {
        UUID id = insert("acme");

        assertThat(documents.markIndexed("other", id, "sha-1", 3)).isEqualTo(Indexing.GONE);
        assertThat(documents.markIndexed("acme", id, "sha-0", 3)).isEqualTo(Indexing.CONTENT_REPLACED);
        assertThat(documents.find("acme", id).orElseThrow().status()).isEqualTo(DocumentStatus.PENDING);

        assertThat(documents.markIndexed("acme", id, "sha-1", 3)).isEqualTo(Indexing.MARKED);
        DocumentView indexed = documents.find("acme", id).orElseThrow();
        assertThat(indexed.status()).isEqualTo(DocumentStatus.INDEXED);
        assertThat(indexed.chunkCount()).isEqualTo(3);
    }

    @Test
    void replacing_the_content_makes_it_pending_again_and_a_dead_lettered_ingest_marks_it_failed() {
        UUID id = insert("acme");
        documents.markIndexed("acme", id, "sha-1", 3);

        documents.replaceContent("acme", id, new NewContent(new byte[]{9}, "sha-2", "text/plain", null));
        DocumentView replaced = documents.find("acme", id).orElseThrow();
        assertThat(replaced.status()).isEqualTo(DocumentStatus.PENDING);
        assertThat(replaced.filename()).as("kept when none is given").isEqualTo("a.txt");
        assertThat(documents.content("acme", id, "sha-2").orElseThrow().bytes()).containsExactly(9);

        assertThat(documents.markFailed("other", id)).isFalse();
        assertThat(documents.markFailed("acme", id)).isTrue();
        assertThat(documents.find("acme", id).orElseThrow().status()).isEqualTo(DocumentStatus.FAILED);
    }

    @Test
    void a_text_is_found_only_for_the_content_it_was_saved_for() {
        UUID id = insert("acme");

        texts.save(id, "sha-1", "first");
        texts.save(id, "sha-2", "second");

        assertThat(texts.find(id, "sha-2")).contains("second");
        assertThat(texts.find(id, "sha-1")).isEmpty();
    }

    @Test
    void pages_run_newest_first_after_the_given_row() {
        UUID older = insert("acme");
        UUID newer = insert("acme");
        jdbc.update("update documents set created_at = now() - interval '1 minute' where id = ?", older);

        List<DocumentView> first = documents.newestFirst("acme", null, null, 1);
        assertThat(first).extracting(DocumentView::id).containsExactly(newer);
        DocumentView last = first.get(0);
        assertThat(documents.newestFirst("acme", last.createdAt(), last.id(), 5)).extracting(DocumentView::id)
                .containsExactly(older);
    }

    @Test
    void records_who_uploaded_the_document() {
        UUID id = insert("acme");
        assertThat(jdbc.queryForObject("select uploaded_by from documents where id = ?", String.class, id))
                .isEqualTo("alice");
    }

    private UUID insert(String tenant) {
        UUID id = UUID.randomUUID();
        documents.insert(new NewDocument(id, tenant, "alice", "A", "default", null, List.of("a", "b"), "unknown", "text/plain",
                "a.txt", new byte[]{1, 2, 3}, "sha-1", Instant.parse("2024-01-01T00:00:00Z"),
                DocumentVisibility.SHARED));
        return id;
    }
}

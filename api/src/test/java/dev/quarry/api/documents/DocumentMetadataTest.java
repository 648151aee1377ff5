package dev.quarry.api.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentVisibility;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentMetadataTest {
    private final com.fasterxml.jackson.databind.ObjectReader reader = DocumentMetadata.reader(new ObjectMapper());

    private DocumentMetadata parse(String text) {
        return DocumentMetadata.parse(text == null ? null : text.getBytes(UTF_8), reader);
    }

    @Test
    void all_fields_are_optional_with_defaults() {
        for (String empty : new String[]{null, "", "{}", "null"}) {
            DocumentMetadata metadata = parse(empty);
            assertThat(metadata.collectionOrDefault()).isEqualTo("default");
            assertThat(metadata.reliabilityOrDefault()).isEqualTo("unknown");
            assertThat(metadata.tagsOrEmpty()).isEmpty();
        }
    }

    @Test
    void a_full_metadata_object_is_read() {
        DocumentMetadata metadata = parse("""
                {"title": "T", "collection": "c-1.x_y", "source": "s", "tags": ["a", "b"], "reliability": "verified",
                 "publishedAt": "2024-05-01T12:00:00Z", "visibility": "private"}""");

        assertThat(metadata).isEqualTo(new DocumentMetadata("T", "c-1.x_y", "s", List.of("a", "b"), "verified",
                java.time.Instant.parse("2024-05-01T12:00:00Z"), "private"));
        assertThat(metadata.visibilityOrDefault()).isEqualTo(DocumentVisibility.PRIVATE);
        assertThat(DocumentMetadata.NONE.visibilityOrDefault()).as("the default").isEqualTo(DocumentVisibility.SHARED);
    }

    @Test
    void invalid_metadata_is_rejected_with_a_reason() {
        for (String bad : new String[]{"{", "[]", "{} {}", "{\"title\": \"\"}", "{\"title\": 5}", "{\"tags\": [1]}",
                "{\"title\": true}", "{\"extra\": 1}",
                "{\"collection\": \"-leading-dash\"}", "{\"tags\": \"not-a-list\"}", "{\"tags\": [null]}",
                "{\"reliability\": \"VERIFIED\"}", "{\"source\": \"a\\u0000b\"}", "{\"publishedAt\": \"yesterday\"}",
                "{\"visibility\": \"secret\"}", "{\"visibility\": \"PRIVATE\"}"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOfSatisfying(ApiProblem.class,
                    problem -> assertThat(problem.kind()).isEqualTo(ProblemKind.INVALID_METADATA));
        }
    }
}

package dev.quarry.api.search;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every malformed search parameter is a 400 invalid-parameter problem, never a 500 or a silent default. */
class SearchValidationIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");

    @ParameterizedTest
    @ValueSource(strings = {
            "mode=both", "mode=", "k=0", "k=101", "k=ten", "k=1&k=2",
            "keywordWeight=-1", "keywordWeight=abc", "keywordWeight=NaN", "vectorWeight=Infinity",
            "vectorWeight=101", "keywordWeight=0&vectorWeight=0", "rrfK=-5", "rrfK=1e9",
            "halfLife=30", "halfLife=P1M", "halfLife=-P1D", "halfLife=PT0.5S", "halfLife=soon",
            "reliabilityBoost=verified", "reliabilityBoost=verified:0", "reliabilityBoost=gold:2",
            "reliabilityBoost=verified:2,verified:3", "reliabilityBoost=verified:abc", "reliabilityBoost=verified:1000",
            "createdFrom=yesterday", "createdTo=2024-13-01", "createdFrom=2024-02-01&createdTo=2024-01-01",
            "createdFrom=2024-01-01&createdTo=2024-01-01",
            "collection=no%20spaces", "collection=%2E%2E", "tags=a,,b", "tags=%00", "mediaType=pdf",
            "source=a%00b", "halflife=P1D", "colection=x", "feedback=11", "feedback=-1", "feedback=some"})
    void a_bad_parameter_is_a_problem(String parameter) {
        assertProblem(get("/api/v1/search?q=granite&" + parameter, token), 400, "invalid-parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mode=KEYWORD", "halfLife=P2W", "halfLife=P0D", "halfLife=PT36H", "k=100",
            "reliabilityBoost=official:1.5,community:0.5", "createdFrom=2024-01-01T00:00:00%2B02:00", "rrfK=0",
            "keywordWeight=0", "collection=", "tags=a&tags=b,c", "mediaType=application/vnd.ms-excel", "feedback=0",
            "feedback=10"})
    void a_good_parameter_is_accepted(String parameter) {
        var response = get("/api/v1/search?q=granite&" + parameter, token);
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/collections/no%20spaces/search-settings"})
    void a_bad_collection_in_the_settings_path_is_a_problem(String path) {
        assertProblem(get(path, token), 400, "invalid-parameter");
    }
}

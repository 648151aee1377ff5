package dev.quarry.search;

import dev.langchain4j.data.embedding.Embedding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueryWindowsTest {

    @Test
    void a_short_query_is_one_window_as_it_was_typed() {
        assertThat(QueryWindows.split("  heat transfer\tin wings ")).containsExactly("  heat transfer\tin wings ");
    }

    @Test
    void a_long_query_is_cut_into_windows_of_150_words_and_none_is_lost() {
        String q = "word ".repeat(400);
        List<String> windows = QueryWindows.split(q);
        assertThat(windows).hasSize(3);
        assertThat(windows.stream().mapToInt(w -> w.split(" ").length)).containsExactly(150, 150, 100);
    }

    @Test
    void windows_are_fused_by_their_share_of_the_words() {
        float[] fused = QueryWindows.fuse(List.of("a b c", "d"),
                List.of(Embedding.from(new float[]{2, 0}), Embedding.from(new float[]{0, 1})));
        assertThat(fused).containsExactly(3f, 1f);
    }
}

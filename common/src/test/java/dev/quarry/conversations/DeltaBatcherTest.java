package dev.quarry.conversations;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaBatcherTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> written = new ArrayList<>();
    private final DeltaBatcher batcher = new DeltaBatcher(Duration.ofMillis(50), 20, now::get, written::add);

    @Test
    void tokens_arriving_quickly_are_written_once_a_batch_holds_max_chars() {
        for (int i = 0; i < 30; i++) batcher.accept("tok ");
        batcher.finish();

        assertThat(written).containsExactly("tok tok tok tok tok ", "tok tok tok tok tok ", "tok tok tok tok tok ",
                "tok tok tok tok tok ", "tok tok tok tok tok ", "tok tok tok tok tok ");
        assertThat(String.join("", written)).isEqualTo("tok ".repeat(30)).isEqualTo(batcher.text());
    }

    @Test
    void a_slow_stream_writes_what_it_has_once_the_interval_has_passed() {
        batcher.accept("Hello");
        now.addAndGet(Duration.ofMillis(49).toNanos());
        batcher.accept(",");
        assertThat(written).isEmpty();

        now.addAndGet(Duration.ofMillis(1).toNanos());
        batcher.accept(" world");
        assertThat(written).containsExactly("Hello, world");

        batcher.accept("!");
        batcher.finish();
        batcher.finish();
        assertThat(written).containsExactly("Hello, world", "!");
        assertThat(batcher.batches()).isEqualTo(2);
    }

    @Test
    void the_extractive_answer_says_no_model_is_configured_and_quotes_each_passage_with_its_number() {
        Citation first = new Citation(1, 7, UUID.randomUUID(), "Bread", 0, "kitchen", 0.5, "Knead   the dough\nwell.");
        Citation second = new Citation(2, 9, UUID.randomUUID(), "Rocks", 3, "science", 0.4, "word ".repeat(200));

        List<String> pieces = ExtractiveAnswer.pieces(List.of(first, second));

        assertThat(pieces.get(0)).isEqualTo(ExtractiveAnswer.NO_MODEL);
        assertThat(pieces.get(1)).isEqualTo("\n\n[1] \"Knead the dough well.\" (Bread)");
        assertThat(pieces.get(2)).startsWith("\n\n[2] \"word word").endsWith(" …\" (Rocks)");
        assertThat(pieces.get(2).length()).isLessThan(ExtractiveAnswer.QUOTE_CHARS + 30);
        assertThat(ExtractiveAnswer.pieces(List.of())).containsExactly(ExtractiveAnswer.NO_PASSAGE);
    }
}

package dev.quarry.worker.ingest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TableChunkerTest {
    private static final String HEADER = "station | city | note";
    private static WordPieceTokenCountEstimator tokens;
    private static TableChunker tables;

    @BeforeAll
    static void load() {
        tokens = new WordPieceTokenCountEstimator();
        tables = new TableChunker(tokens, new TextChunker(tokens, 240, 40, 2000), 240, 2000);
    }

    @Test
    void rows_are_never_split_and_every_chunk_starts_with_the_header() {
        List<String> rows = IntStream.range(0, 400)
                .mapToObj(i -> "S" + i + " | City number " + i + " | The note of station " + i + " mentions gravel and dust")
                .toList();

        List<Chunk> chunks = tables.chunk(HEADER + "\n" + String.join("\n", rows) + "\n");

        assertThat(chunks.size()).isGreaterThan(5);
        for (Chunk chunk : chunks) {
            assertThat(chunk.text()).startsWith(HEADER + "\n");
            assertThat(chunk.tokenCount()).isEqualTo(tokens.estimateTokenCountInText(chunk.text())).isLessThanOrEqualTo(240);
            assertThat(chunk.text().length()).isLessThanOrEqualTo(2000);
        }
        List<String> chunkedRows = chunks.stream().flatMap(c -> c.text().lines().skip(1)).toList();
        assertThat(chunkedRows).containsExactlyElementsOf(rows);
        assertThat(chunks).extracting(Chunk::ordinal).containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    }

    @Test
    void a_row_too_big_for_a_chunk_is_cut_by_the_chunk_bounds_and_the_rows_around_it_stay_whole() {
        String huge = "S1 | Big City | " + "gravel ".repeat(1000).strip();

        List<Chunk> chunks = tables.chunk(HEADER + "\nS0 | Small | quiet\n" + huge + "\nS2 | Small | calm\n");

        assertThat(chunks.get(0).text()).isEqualTo(HEADER + "\nS0 | Small | quiet");
        assertThat(chunks.get(chunks.size() - 1).text()).isEqualTo(HEADER + "\nS2 | Small | calm");
        assertThat(chunks.size()).isGreaterThan(3);
        for (Chunk chunk : chunks) assertThat(chunk.tokenCount()).isLessThanOrEqualTo(240);
    }

    @Test
    void each_sheet_is_chunked_under_its_own_header_and_the_ordinals_run_on() {
        List<Chunk> chunks = tables.chunkTables("station | city\nAlpha | Harbour\n\nlorry | load\nL7 | gravel\n");

        assertThat(chunks).extracting(Chunk::text).containsExactly("station | city\nAlpha | Harbour", "lorry | load\nL7 | gravel");
        assertThat(chunks).extracting(Chunk::ordinal).containsExactly(0, 1);
    }

    @Test
    void a_csv_renders_as_one_line_per_row_with_its_header_first() {
        String csv = "station;city;note\nAlpha;\"Saffron\nHarbour\";\"The ferry; at noon\"\n\nBeta;Copper Hill;owl\n";

        String table = CsvTable.render(csv.getBytes(StandardCharsets.ISO_8859_1), 10_000, 1_000_000);

        assertThat(table).isEqualTo("station | city | note\nAlpha | Saffron Harbour | The ferry; at noon\nBeta | Copper Hill | owl\n");
        assertThat(tables.chunk(table)).extracting(Chunk::text)
                .containsExactly(table.lines().collect(Collectors.joining("\n")));
    }
}

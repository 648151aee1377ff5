package dev.quarry.worker.ingest;

import dev.quarry.testing.SampleFiles;
import dev.quarry.testing.SampleFiles.Sample;
import org.apache.tika.parser.AutoDetectParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Office and publishing formats as their producers write them (LibreOffice, pandoc, Python's email library;
 * see {@code formats/README.md} in the testing module), through extraction, normalization and chunking:
 * each document's distinctive sentences must be in its chunks.
 */
class ProducedFormatsIT {
    private static final List<String> GUIDE = List.of("The cobalt lantern hums beside the northern gate.",
            "The walnut drawbridge opens only on Thursdays.",
            "The silver kestrel counts every lorry that leaves the quarry.");
    private static final List<String> STATIONS = List.of("The tangerine ferry departs at noon",
            "The granite owl sleeps in the crusher", "The velvet barometer predicts fog");
    private static TikaTextExtractor extractor;
    private static TextChunker chunker;

    @BeforeAll
    static void load() {
        extractor = new TikaTextExtractor(new AutoDetectParser());
        chunker = new TextChunker(new WordPieceTokenCountEstimator(), 240, 40, 2000);
    }

    record Case(Sample sample, List<String> sentences) {
        @Override
        public String toString() {
            return sample.filename();
        }
    }

    static Stream<Case> producedFiles() {
        return Stream.of(
                new Case(SampleFiles.produced("guide.md", "text/x-web-markdown"), GUIDE),
                new Case(SampleFiles.produced("guide.html", "text/html"), GUIDE),
                new Case(SampleFiles.produced("guide.epub", "application/epub+zip"), GUIDE),
                new Case(SampleFiles.produced("guide.odt", "application/vnd.oasis.opendocument.text"), GUIDE),
                new Case(SampleFiles.produced("guide.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), GUIDE),
                new Case(SampleFiles.produced("guide.rtf", "application/rtf"), GUIDE),
                new Case(SampleFiles.produced("slides.pptx",
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation"), GUIDE),
                new Case(SampleFiles.produced("slides.odp", "application/vnd.oasis.opendocument.presentation"), GUIDE),
                new Case(SampleFiles.produced("stations.csv", "text/csv"), STATIONS),
                new Case(SampleFiles.produced("stations.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), STATIONS),
                new Case(SampleFiles.produced("stations.ods", "application/vnd.oasis.opendocument.spreadsheet"), STATIONS),
                new Case(SampleFiles.produced("update.eml", "message/rfc822"),
                        List.of("The amber semaphore flashes when the crusher jams.", "Regards, The station")),
                new Case(SampleFiles.produced("catalog.xml", "application/xml"),
                        List.of("The emerald conveyor carries gravel uphill.", "The brass sieve rattles at dawn.")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("producedFiles")
    void each_documents_distinctive_sentences_are_in_its_chunks(Case c) {
        assertThat(chunkText(c.sample())).contains(c.sentences());
    }

    @Test
    void an_emails_attachments_are_listed_by_name_not_ingested() {
        String text = chunkText(SampleFiles.produced("update.eml", "message/rfc822"));

        assertThat(text).contains("walrus-notes.txt").doesNotContain("purple walrus");
    }

    private static String chunkText(Sample sample) {
        String text = extractor.extract(sample.bytes(), sample.mediaType(), sample.filename());
        return chunker.chunk(new TextNormalizer().normalize(text)).stream().map(Chunk::text)
                .collect(Collectors.joining(" ")).replaceAll("\\s+", " ");
    }
}

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("spreadsheets")
    void a_spreadsheets_rows_stay_whole_and_every_chunk_starts_with_its_header(Sample sheet) {
        // A window of 30 word pieces holds the header and one or two rows: the three rows need several chunks.
        TextChunker small = new TextChunker(new WordPieceTokenCountEstimator(), 30, 5, 2000);
        TableChunker tables = new TableChunker(new WordPieceTokenCountEstimator(), small, 30, 2000);
        String text = new TextNormalizer().normalize(extractor.extract(sheet.bytes(), sheet.mediaType(), sheet.filename()));

        List<Chunk> chunks = tables.chunkTables(text);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text().lines().findFirst()).hasValue("station | city | note"));
        assertThat(chunks.stream().flatMap(chunk -> chunk.text().lines().skip(1)))
                .containsExactly("Alpha | Saffron Harbour | The tangerine ferry departs at noon",
                        "Beta | Copper Hill | The granite owl sleeps in the crusher",
                        "Gamma | Misty Ford | The velvet barometer predicts fog");
    }

    static Stream<Sample> spreadsheets() {
        return Stream.of(SampleFiles.produced("stations.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                SampleFiles.produced("stations.ods", "application/vnd.oasis.opendocument.spreadsheet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headedDocuments")
    void each_chunk_of_a_document_with_headings_carries_its_section_path(Sample sample) {
        String text = new TextNormalizer().normalize(extractor.extract(sample.bytes(), sample.mediaType(), sample.filename()));

        List<Chunk> chunks = new SectionChunker(chunker).chunk(text);

        assertThat(sectionOf(chunks, "The cobalt lantern hums beside the northern gate.")).isEqualTo("Field Guide > Install > Linux");
        assertThat(sectionOf(chunks, "The walnut drawbridge opens only on Thursdays.")).isEqualTo("Field Guide > Install > Windows");
        assertThat(sectionOf(chunks, "The silver kestrel counts every lorry that leaves the quarry.")).isEqualTo("Field Guide > Operate");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).doesNotContain("\uE001", "\uE002", "\uE003"));
    }

    static Stream<Sample> headedDocuments() {
        return Stream.of(SampleFiles.produced("guide.md", "text/x-web-markdown"),
                SampleFiles.produced("guide.html", "text/html"),
                // what the API detects pandoc's HTML5 as
                SampleFiles.produced("guide.html", "application/xhtml+xml"),
                SampleFiles.produced("guide.epub", "application/epub+zip"),
                SampleFiles.produced("guide.odt", "application/vnd.oasis.opendocument.text"),
                SampleFiles.produced("guide.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    }

    private static String sectionOf(List<Chunk> chunks, String sentence) {
        List<Chunk> holding = chunks.stream().filter(chunk -> chunk.text().replaceAll("\\s+", " ").contains(sentence)).toList();
        assertThat(holding).as("chunks holding \"%s\" in %s", sentence, chunks).hasSize(1);
        return holding.get(0).sectionPath();
    }

    @Test
    void an_emails_subject_sender_recipients_and_date_are_part_of_its_text() {
        String text = chunkText(SampleFiles.produced("update.eml", "message/rfc822"));

        assertThat(text).contains("Subject: Field guide update", "From: Quarry Station <station@example.org>",
                "To: Field Team <team@example.org>", "Date: 2026-11-30T09:00:00Z");
    }

    @Test
    void an_outlook_msg_is_read_with_its_headers_and_body() {
        String text = chunkText(SampleFiles.produced("test-outlook2003.msg", "application/vnd.ms-outlook"));

        assertThat(text).contains("Welcome to Microsoft Office Outlook 2003", "From Microsoft Outlook 2003 Team",
                "To New Outlook User", "The new Junk E-mail Filter helps prevent much of the unwanted e-mail that you receive every day.",
                "Attachment: 1.jpg");
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

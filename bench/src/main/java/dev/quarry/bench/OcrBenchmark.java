package dev.quarry.bench;

import dev.quarry.testing.SampleFiles.Sample;
import dev.quarry.testing.ScannedPages;
import dev.quarry.testing.Stats;
import dev.quarry.worker.ingest.Extraction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * bin/quarry bench ocr: OCR pages per minute of Quarry's path (the worker's extractor, {@link Extraction},
 * with OCR on: Tika's {@code TesseractOCRParser} on a PNG upload) against the {@code tesseract} command line
 * ({@code tesseract page.png stdout -l eng}) on the same page images in the same run, the limit: Quarry's OCR
 * is that command plus Tika's temporary files and parsing. The pages are {@code --pages} A4 pages of 30 lines
 * of known text drawn at 200 dpi ({@link ScannedPages}); each run reads every page both ways, in alternating
 * order, one page at a time (as one worker thread does). The characters each side read are printed, as a
 * check that both read the pages.
 */
public final class OcrBenchmark {
    private static final String[] WORDS = ("the quarry station gravel crusher lantern northern gate walnut drawbridge "
            + "silver kestrel counts every lorry conveyor granite owl ferry harbour copper hill velvet barometer "
            + "report weekly shipment delivery sample analysis engineer schedule inspection safety").split(" ");
    private final Args args;

    private OcrBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new OcrBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        int pageCount = Integer.parseInt(args.get("pages", "20"));
        int runs = Integer.parseInt(args.get("runs", "3"));
        String tesseract = args.get("tesseract", "tesseract");
        Random random = new Random(7);
        List<Sample> pages = new ArrayList<>();
        for (int p = 0; p < pageCount; p++) pages.add(ScannedPages.image("png", "image/png", lines(random, 30)));
        Extraction quarry = Extraction.configured(64_000_000, Duration.ofMinutes(2), true, 1);
        Path directory = Files.createTempDirectory("quarry-bench-ocr");
        List<Double> quarryRates = new ArrayList<>(), cliRates = new ArrayList<>();
        try {
            List<Path> files = new ArrayList<>();
            for (int p = 0; p < pages.size(); p++) {
                Path file = directory.resolve("page-" + p + ".png");
                Files.write(file, pages.get(p).bytes());
                files.add(file);
            }
            // Warm-up, not measured: Tika checks for tesseract and loads its parsers on first use.
            quarry.text(pages.get(0).bytes(), "image/png", "page.png");
            commandLine(tesseract, files.get(0));
            for (int r = 1; r <= runs; r++) {
                for (int turn = 0; turn < 2; turn++) {
                    boolean quarryTurn = (r + turn) % 2 == 0;
                    long start = System.nanoTime();
                    long chars = 0;
                    for (int p = 0; p < pages.size(); p++) {
                        chars += quarryTurn ? quarry.text(pages.get(p).bytes(), "image/png", "page.png").length()
                                : commandLine(tesseract, files.get(p)).length();
                    }
                    double minutes = (System.nanoTime() - start) / 6e10;
                    double rate = pages.size() / minutes;
                    (quarryTurn ? quarryRates : cliRates).add(rate);
                    System.out.printf("run %d %s: %d pages in %.1f s = %.1f pages/min, %,d characters%n", r,
                            quarryTurn ? "quarry" : "tesseract CLI", pages.size(), minutes * 60, rate, chars);
                }
            }
        } finally {
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) Files.delete(file);
            }
            Files.delete(directory);
        }
        System.out.println();
        System.out.println("| OCR (median of " + runs + " runs, " + pageCount + " pages of 30 lines at 200 dpi) "
                + "| Quarry pages/min | tesseract CLI pages/min | ratio |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| PNG, one page at a time | %.1f (%s) | %.1f (%s) | **%.2f ×** |%n", Stats.median(quarryRates),
                Stats.runs(quarryRates), Stats.median(cliRates), Stats.runs(cliRates),
                Stats.median(quarryRates) / Stats.median(cliRates));
        System.out.printf("%nmachine: %d cores; java %s; %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), commandLine(tesseract, null).lines().findFirst().orElse("tesseract ?"));
    }

    private static String[] lines(Random random, int count) {
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 9; w++) line.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            lines[i] = line.toString();
        }
        return lines;
    }

    /** {@code tesseract FILE stdout -l eng}'s text, or with no file {@code tesseract --version}'s first line. */
    private static String commandLine(String tesseract, Path image) throws IOException, InterruptedException {
        List<String> command = image == null ? List.of(tesseract, "--version")
                : List.of(tesseract, image.toString(), "stdout", "-l", "eng");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed");
        return out;
    }
}

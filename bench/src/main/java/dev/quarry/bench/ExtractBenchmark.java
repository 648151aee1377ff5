package dev.quarry.bench;

import dev.quarry.testing.Stats;
import dev.quarry.worker.ingest.Extraction;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bin/quarry bench extract: extraction throughput (MB of file per second) of Quarry's extractor, the worker's
 * own code ({@link Extraction}: parser chosen by type, zip-bomb and deadline handlers, heading marks,
 * spreadsheet rows), against Tika's own {@code AutoDetectParser} with a {@code BodyContentHandler} on the same
 * file in the same run (the limit: Quarry adds its handlers on top of Tika). One ~{@code --megabytes} file per
 * format (PDF, DOCX, XLSX, PPTX), made by {@link LargeDocuments}. Each run measures both, in alternating order,
 * after a GC; the peak heap of each is the sum of the heap pools' peaks since that measurement began (an upper
 * bound: pools peak at different moments). Both run without a character bound, so that both read the whole
 * text; OCR is off in both (no scanned pages here; {@code bench ocr} measures OCR).
 */
public final class ExtractBenchmark {
    private final Args args;

    private ExtractBenchmark(Args args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        new ExtractBenchmark(new Args(argv)).run();
    }

    private void run() throws Exception {
        double megabytes = Double.parseDouble(args.get("megabytes", "50"));
        int runs = Integer.parseInt(args.get("runs", "3"));
        Path directory = Files.createTempDirectory("quarry-bench-extract");
        Extraction quarry = Extraction.configured(Integer.MAX_VALUE - 16, Duration.ofHours(1), false, 0);
        AutoDetectParser tika = new AutoDetectParser();
        LargeDocuments documents = new LargeDocuments();
        List<String> rows = new ArrayList<>();
        try {
            // Warm-up, not measured: both sides once per format on a small file, so that the JIT and Tika's
            // lazy loading do not count against whichever side goes first.
            for (LargeDocuments.Format format : LargeDocuments.Format.values()) {
                Path small = documents.write(format, 0.5, directory);
                byte[] bytes = Files.readAllBytes(small);
                Files.delete(small);
                quarry.text(bytes, format.mediaType, small.getFileName().toString());
                tika(tika, bytes, small.getFileName().toString());
            }
            for (LargeDocuments.Format format : LargeDocuments.Format.values()) {
                Path file = documents.write(format, megabytes, directory);
                byte[] bytes = Files.readAllBytes(file);
                Files.delete(file);
                double mb = bytes.length / 1e6;
                Map<String, List<Double>> rates = new LinkedHashMap<>(), heaps = new LinkedHashMap<>();
                long[] chars = new long[2];
                for (int r = 1; r <= runs; r++) {
                    for (int turn = 0; turn < 2; turn++) {
                        boolean quarryTurn = (r + turn) % 2 == 0;
                        String side = quarryTurn ? "quarry" : "tika";
                        resetPeaks();
                        long start = System.nanoTime();
                        long extracted;
                        try {
                            extracted = quarryTurn ? quarry.text(bytes, format.mediaType, file.getFileName().toString()).length()
                                    : tika(tika, bytes, file.getFileName().toString());
                        } catch (Exception | OutOfMemoryError e) {
                            // One side failing (e.g. out of heap) is a result too: report it and go on.
                            System.out.printf("run %d %s %s: failed after %.1f s: %s%n", r, format, side,
                                    (System.nanoTime() - start) / 1e9, e);
                            rates.computeIfAbsent(side, k -> new ArrayList<>()).add(Double.NaN);
                            heaps.computeIfAbsent(side, k -> new ArrayList<>()).add(peakHeap() / 1e6);
                            continue;
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        double heap = peakHeap() / 1e6;
                        chars[quarryTurn ? 0 : 1] = extracted;
                        rates.computeIfAbsent(side, k -> new ArrayList<>()).add(mb / seconds);
                        heaps.computeIfAbsent(side, k -> new ArrayList<>()).add(heap);
                        System.out.printf("run %d %s %s: %.1f MB in %.1f s = %.2f MB/s, %,d characters, heap peak %.0f MB%n",
                                r, format, side, mb, seconds, mb / seconds, extracted, heap);
                    }
                }
                double quarryRate = Stats.median(rates.get("quarry")), tikaRate = Stats.median(rates.get("tika"));
                rows.add(String.format("| %s | %.1f | %.2f (%s) | %.2f (%s) | **%.2f ×** | %.0f | %.0f | %,d / %,d |", format, mb,
                        quarryRate, Stats.runs(rates.get("quarry")), tikaRate, Stats.runs(rates.get("tika")),
                        quarryRate / tikaRate, Stats.median(heaps.get("quarry")), Stats.median(heaps.get("tika")),
                        chars[0], chars[1]));
            }
        } finally {
            Files.deleteIfExists(directory);
        }
        System.out.println();
        System.out.println("| format (median of " + runs + " runs) | file MB | Quarry MB/s | Tika AutoDetectParser MB/s | ratio "
                + "| Quarry heap peak MB | Tika heap peak MB | characters Quarry / Tika |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.printf("%nmachine: %d cores, max heap %.0f MB; java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1e6, System.getProperty("java.version"));
    }

    private static long tika(AutoDetectParser parser, byte[] bytes, String filename) throws Exception {
        BodyContentHandler text = new BodyContentHandler(-1);
        Metadata metadata = new Metadata();
        metadata.set("resourceName", filename);
        try (TikaInputStream in = TikaInputStream.get(bytes)) {
            parser.parse(in, text, metadata, new ParseContext());
        }
        return text.toString().length();
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }
}

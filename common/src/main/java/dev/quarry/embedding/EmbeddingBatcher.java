package dev.quarry.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces the embedding requests of all jobs running in this process (ingests and reindexes) into shared
 * model calls.
 * <p>
 * Why: most documents are small, so each job alone would call the model with one or two segments, and
 * a dozen jobs doing that at once oversubscribe the CPU (every in-process call fans out over all cores)
 * while a remote model pays one round trip per job. One drain thread instead takes whatever is pending,
 * oldest first, up to {@code maxSegments}, and makes one {@code embedAll} call; requests that arrive
 * meanwhile form the next call. Under load the calls fill up by themselves; when idle a request is served
 * at once, without waiting for company.
 * <p>
 * A call holds the requests of one model only (a reindex embeds with its target version's model). One drain
 * thread serves every model, one call at a time, since an in-process model already spreads a call over every
 * core and two at once would only compete for them.
 * <p>
 * A failed model call fails every request in it; the jobs classify the failure (transient, by default).
 */
final class EmbeddingBatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingBatcher.class);

    private record Request(EmbeddingModel model, List<TextSegment> segments,
                           CompletableFuture<List<Embedding>> result) {
    }

    private final int maxSegments;
    private final BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Counter segmentsEmbedded;
    private final DistributionSummary callSizes;
    private final Timer callTime;
    private final Thread drainer;
    private volatile boolean closed;

    EmbeddingBatcher(int maxSegments, MeterRegistry meters) {
        this.maxSegments = maxSegments;
        this.segmentsEmbedded = Counter.builder("quarry.embedding.segments")
                .description("Text segments embedded").register(meters);
        this.callSizes = DistributionSummary.builder("quarry.embedding.call.segments")
                .description("Segments per embedding model call, after coalescing").register(meters);
        // Its total time over wall time is how busy the model is: near 1 means jobs keep it saturated.
        this.callTime = Timer.builder("quarry.embedding.call")
                .description("Time inside the embedding model, per coalesced call").register(meters);
        this.drainer = new Thread(this::drain, "embedding-batcher");
        this.drainer.setDaemon(true);
        this.drainer.start();
    }

    /**
     * Queues segments for embedding by {@code model}. The future completes with one embedding per segment, in order, or
     * exceptionally if the model call fails or the batcher closes. Cancelling the future drops the request
     * if its call has not started yet.
     */
    CompletableFuture<List<Embedding>> embed(EmbeddingModel model, List<TextSegment> segments) {
        CompletableFuture<List<Embedding>> result = new CompletableFuture<>();
        if (segments.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        Request request = new Request(model, List.copyOf(segments), result);
        pending.add(request);
        // A cancelled job withdraws its requests at once, so they neither wait in line nor count in it.
        result.whenComplete((embeddings, failure) -> {
            if (result.isCancelled()) pending.remove(request);
        });
        if (closed) failPending(new IllegalStateException("the embedding batcher is closed"));
        return result;
    }

    private void drain() {
        while (!closed) {
            List<Request> call;
            try {
                call = nextCall();
            } catch (InterruptedException e) {
                break;
            }
            run(call);
        }
        failPending(new IllegalStateException("the embedding batcher is closed"));
    }

    /**
     * Blocks for the oldest live request, then adds younger ones of the same model, oldest first, while they
     * fit (this thread is the only taker). Requests of other models wait for a call of their own.
     */
    private List<Request> nextCall() throws InterruptedException {
        Request oldest;
        do {
            oldest = pending.take();
        } while (oldest.result().isDone());
        List<Request> call = new ArrayList<>(List.of(oldest));
        int size = oldest.segments().size();
        for (Iterator<Request> younger = pending.iterator(); younger.hasNext(); ) {
            Request next = younger.next();
            if (next.model() != oldest.model()) continue;
            if (next.result().isDone()) {
                younger.remove();
                continue;
            }
            if (size + next.segments().size() > maxSegments) break;
            younger.remove();
            call.add(next);
            size += next.segments().size();
        }
        return call;
    }

    private void run(List<Request> call) {
        if (call.isEmpty()) return;
        List<TextSegment> segments = new ArrayList<>();
        for (Request r : call) segments.addAll(r.segments());
        try {
            long start = System.nanoTime();
            List<Embedding> embeddings = call.get(0).model().embedAll(segments).content();
            callTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (embeddings.size() != segments.size()) {
                throw new IllegalStateException("the model returned " + embeddings.size() + " embeddings for "
                        + segments.size() + " segments");
            }
            segmentsEmbedded.increment(segments.size());
            callSizes.record(segments.size());
            int from = 0;
            for (Request r : call) {
                int to = from + r.segments().size();
                r.result().complete(List.copyOf(embeddings.subList(from, to)));
                from = to;
            }
        } catch (RuntimeException | Error e) {
            log.warn("embedding call of {} segments failed: {}", segments.size(), e.toString());
            for (Request r : call) r.result().completeExceptionally(e);
        }
    }

    private void failPending(RuntimeException reason) {
        for (Request r; (r = pending.poll()) != null; ) r.result().completeExceptionally(reason);
    }

    /** Fails what is still queued (those jobs retry elsewhere) and stops the drain thread. */
    @Override
    public void close() {
        closed = true;
        drainer.interrupt();
    }
}

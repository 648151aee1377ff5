package dev.quarry.embedding.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * OpenAI embeddings as a langchain4j {@link EmbeddingModel}, guarded by resilience4j, from the outside in:
 * <ol>
 *   <li>a retry of the whole call on 429, 5xx, timeouts, I/O errors and garbled answers, waiting what
 *       {@code Retry-After} asks for or else an exponential back-off with jitter ({@link OpenAiResilience});</li>
 *   <li>a circuit breaker shared by every call of this process: after too many failures it rejects calls at
 *       once with {@link EmbeddingProviderUnavailableException}, without touching the network, and a few calls
 *       probe the provider once its wait is over;</li>
 *   <li>client-side rate limiters on requests and on input tokens per minute, so Quarry stays below its
 *       account's limits instead of learning them from 429s; a call waits for its share up to
 *       {@code rate-limit-wait} and then fails with {@link RequestNotPermitted};</li>
 *   <li>a time limit on each request; the request is aborted when it runs out.</li>
 * </ol>
 * Failures surface as {@link OpenAiCallFailedException}, {@link EmbeddingProviderUnavailableException} or
 * {@link RequestNotPermitted}: all unchecked, all worth a later attempt of the job.
 */
public final class ResilientOpenAiEmbeddingModel implements EmbeddingModel {
    private final OpenAiEmbeddingsEndpoint endpoint;
    private final String model;
    private final int dimensions;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter requests;
    private final RateLimiter tokens;
    private final TimeLimiter timeLimiter;

    ResilientOpenAiEmbeddingModel(OpenAiEmbeddingsEndpoint endpoint, String model, int dimensions,
                                  OpenAiResilience resilience) {
        this.endpoint = endpoint;
        this.model = model;
        this.dimensions = dimensions;
        this.retry = resilience.retry();
        this.breaker = resilience.breaker();
        this.requests = resilience.requests();
        this.tokens = resilience.tokens();
        this.timeLimiter = resilience.timeLimiter();
    }

    /**
     * A model calling {@code baseUrl} (OpenAI's is {@code https://api.openai.com/v1}). {@code dimensions} is
     * sent only to models that can shorten their vectors (the text-embedding-3 family). {@code meters} may be
     * null.
     */
    public static ResilientOpenAiEmbeddingModel create(String apiKey, String baseUrl, String model, int dimensions,
                                                       OpenAiClientProperties properties, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
        Integer requested = model.startsWith("text-embedding-3") ? dimensions : null;
        return new ResilientOpenAiEmbeddingModel(new OpenAiEmbeddingsEndpoint(http, baseUrl, apiKey, model, requested),
                model, dimensions, OpenAiResilience.of(properties, meters));
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<String> inputs = segments.stream().map(TextSegment::text).toList();
        if (inputs.isEmpty()) return Response.from(List.of(), new TokenUsage(0));
        OpenAiEmbeddingsEndpoint.Answer answer;
        try {
            answer = retry.executeSupplier(() -> breaker.executeSupplier(() -> limitedCall(inputs)));
        } catch (CallNotPermittedException e) {
            Duration wait = Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
            throw new EmbeddingProviderUnavailableException("OpenAI embeddings are paused: the circuit breaker is "
                    + breaker.getState() + " after repeated failures; calls resume in at most " + wait, wait, e);
        }
        return Response.from(answer.vectors().stream().map(Embedding::from).toList(),
                new TokenUsage(answer.promptTokens()));
    }

    private OpenAiEmbeddingsEndpoint.Answer limitedCall(List<String> inputs) {
        RateLimiter.waitForPermission(requests);
        int estimate = Math.min(estimatedTokens(inputs), tokens.getRateLimiterConfig().getLimitForPeriod());
        RateLimiter.waitForPermission(tokens, estimate);
        HttpResponse<String> response;
        try {
            response = timeLimiter.executeFutureSupplier(() -> endpoint.send(inputs));
        } catch (TimeoutException e) {
            throw new OpenAiCallFailedException(0, null, "OpenAI embeddings call got no answer within "
                    + timeLimiter.getTimeLimiterConfig().getTimeoutDuration(), e);
        } catch (IOException e) {
            throw new OpenAiCallFailedException(0, null, "OpenAI embeddings call failed: " + e, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new OpenAiCallFailedException(0, null, "OpenAI embeddings call failed: " + e, e);
        }
        return endpoint.read(response, inputs.size());
    }

    /** OpenAI's rule of thumb, about four characters of English per token; the limiter needs it before the call. */
    static int estimatedTokens(List<String> inputs) {
        long chars = inputs.stream().mapToLong(String::length).sum();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (chars + 3) / 4));
    }

    @Override
    public int dimension() {
        return dimensions;
    }

    @Override
    public String modelName() {
        return model;
    }

    /** The circuit breaker's state, e.g. for health checks; its metric is {@code resilience4j.circuitbreaker.state}. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }
}

package dev.quarry.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.time.Duration;

/**
 * The HTTP client every built-in provider streams through: the JDK's, with Quarry's timeouts, and one addition.
 * langchain4j's Anthropic model never answers its handler when a stream ends cleanly without
 * {@code message_stop} (a proxy that gave up, a provider that closed early), so the call would wait for the
 * whole timeout. This client tells {@link StreamingLanguageModel} when a stream's body has ended, and the model
 * treats an answer not finished by then as a cut stream at once.
 * <p>
 * The stream is matched to its call by a thread-local set around {@code StreamingChatModel.chat}: langchain4j
 * opens the request on the calling thread. Should a version open it elsewhere, nothing breaks; a clean early
 * end then waits for the timeout again (which {@code ProviderStreamingTest} would show).
 */
public final class ProviderHttp {
    private static final ThreadLocal<Runnable> STREAM_ENDED = new ThreadLocal<>();

    private ProviderHttp() {
    }

    /** @param readTimeout the longest silence within a stream */
    public static HttpClientBuilder client(Duration connectTimeout, Duration readTimeout) {
        return new EndAwareBuilder(JdkHttpClient.builder()
                .httpClientBuilder(java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout));
    }

    /** The URL ending in one slash, as clients that append a relative path need. */
    public static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** Runs {@code call}; a stream it opens runs {@code streamEnded} after its body ended and langchain4j saw it. */
    static void watchingStreamEnd(Runnable streamEnded, Runnable call) {
        STREAM_ENDED.set(streamEnded);
        try {
            call.run();
        } finally {
            STREAM_ENDED.remove();
        }
    }

    private record EndAwareBuilder(HttpClientBuilder delegate) implements HttpClientBuilder {
        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public HttpClientBuilder connectTimeout(Duration timeout) {
            delegate.connectTimeout(timeout);
            return this;
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public HttpClientBuilder readTimeout(Duration timeout) {
            delegate.readTimeout(timeout);
            return this;
        }

        @Override
        public HttpClient build() {
            return new EndAwareClient(delegate.build());
        }
    }

    private record EndAwareClient(HttpClient delegate) implements HttpClient {
        @Override
        public SuccessfulHttpResponse execute(HttpRequest request) {
            return delegate.execute(request);
        }

        @Override
        public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
            Runnable ended = STREAM_ENDED.get();
            delegate.execute(request, parser, ended == null ? listener : new EndAwareListener(listener, ended));
        }
    }

    private record EndAwareListener(ServerSentEventListener delegate, Runnable ended)
            implements ServerSentEventListener {
        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            delegate.onOpen(response);
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            delegate.onError(error);
        }

        @Override
        public void onClose() {
            try {
                delegate.onClose();
            } finally {
                ended.run();
            }
        }
    }
}

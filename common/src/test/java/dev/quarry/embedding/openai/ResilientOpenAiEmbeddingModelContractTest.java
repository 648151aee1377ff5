package dev.quarry.embedding.openai;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.testing.FakeOpenAiServer;
import dev.quarry.testing.FakeOpenAiServer.Fault;
import dev.quarry.testing.RemoteEmbeddingModelContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/** The OpenAI adapter against the fake OpenAI server, a real local HTTP server speaking its API. */
class ResilientOpenAiEmbeddingModelContractTest extends RemoteEmbeddingModelContract {
    private static final FakeOpenAiServer OPENAI = FakeOpenAiServer.start();
    private static final int DIMENSION = 512;

    @AfterAll
    static void stop() {
        OPENAI.close();
    }

    @BeforeEach
    void reset() {
        OPENAI.reset();
    }

    ResilientOpenAiEmbeddingModelContractTest() {
        super(model(), DIMENSION);
    }

    @Override
    protected Failure failure() {
        OPENAI.failEveryRequestWith(Fault.serverError(500));
        EmbeddingModel model = model();
        return new Failure(() -> model.embed("wing flutter"), OpenAiCallFailedException.class);
    }

    private static ResilientOpenAiEmbeddingModel model() {
        return ResilientOpenAiEmbeddingModel.create(OPENAI.apiKey(), OPENAI.baseUrl(), "text-embedding-3-small",
                DIMENSION, new OpenAiClientProperties(Duration.ofSeconds(2), Duration.ofSeconds(5), 10_000, 1_000_000,
                        Duration.ofSeconds(5), new OpenAiClientProperties.Retry(2, Duration.ofMillis(10), Duration.ofSeconds(1)),
                        new OpenAiClientProperties.Breaker(100f, 100, 100, Duration.ofMinutes(1), 1)), null);
    }
}

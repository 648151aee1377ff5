package dev.quarry.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every embedding version this deployment can embed with, by tag: the in-process all-MiniLM-L6-v2 models
 * (quantized and full precision, 384 dimensions), OpenAI's models at any dimensions up to pgvector's index
 * limit ({@code text-embedding-3-small-1536@1}; only with an API key), and the configured version under its
 * own tag ({@code QUARRY_EMBEDDING_VERSION}). The worker and the API embed with any of them, not only with
 * the configured default; models are built on first use and kept, and the configured one is never built
 * twice.
 */
public class EmbeddingCatalog {
    private static final Pattern OPENAI = Pattern.compile(
            "(text-embedding-3-small|text-embedding-3-large|text-embedding-ada-002)-(\\d{1,4})@[A-Za-z0-9._-]+");
    private static final Map<String, EmbeddingProvider> IN_PROCESS = Map.of(
            "all-minilm-l6-v2-q@1", EmbeddingProvider.MINILM_QUANTIZED,
            "all-minilm-l6-v2@1", EmbeddingProvider.MINILM);

    private final EmbeddingVersion configured;
    private final EmbeddingProperties.OpenAi openai;
    private final Function<EmbeddingProperties.OpenAi, EmbeddingModel> openAiModels;
    private final Map<String, EmbeddingModel> models = new ConcurrentHashMap<>();

    EmbeddingCatalog(EmbeddingVersion configured, EmbeddingModel configuredModel, EmbeddingProperties properties,
                     Function<EmbeddingProperties.OpenAi, EmbeddingModel> openAiModels) {
        this.configured = configured;
        this.openAiModels = openAiModels;
        this.openai = properties.openai();
        models.put(configured.tag(), configuredModel);
    }

    /** The version new ingests write ({@code QUARRY_EMBEDDING_VERSION}), and every tenant's default. */
    public EmbeddingVersion configured() {
        return configured;
    }

    /** The version named {@code tag}, if this deployment can embed with it. */
    public Optional<EmbeddingVersion> find(String tag) {
        if (!EmbeddingVersion.isWellFormed(tag)) return Optional.empty();
        if (tag.equals(configured.tag())) return Optional.of(configured);
        if (IN_PROCESS.containsKey(tag)) return Optional.of(new EmbeddingVersion(tag, EmbeddingProvider.DIMENSIONS));
        Matcher m = OPENAI.matcher(tag);
        if (m.matches() && openai.configured()) {
            int dimensions = Integer.parseInt(m.group(2));
            boolean fixed = m.group(1).equals("text-embedding-ada-002");
            int max = m.group(1).equals("text-embedding-3-small") || fixed ? 1536 : 3072;
            if ((fixed && dimensions != 1536) || dimensions > Math.min(max, 2000) || dimensions < 1) {
                return Optional.empty();
            }
            return Optional.of(new EmbeddingVersion(tag, dimensions));
        }
        return Optional.empty();
    }

    /** The OpenAI model behind {@code tag} (e.g. {@code text-embedding-3-small}), if it names one. */
    public Optional<String> openAiModel(String tag) {
        Matcher m = OPENAI.matcher(tag);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** @throws UnknownEmbeddingVersionException naming what is known instead */
    public EmbeddingVersion require(String tag) {
        return find(tag).orElseThrow(() -> new UnknownEmbeddingVersionException("unknown embedding version '" + tag
                + "'; known: " + String.join(", ", knownTags())
                + (openai.configured() ? ", text-embedding-3-small-<dimensions>@1 and other OpenAI models"
                : " (OpenAI versions need OPENAI_API_KEY)")));
    }

    /** The model that embeds {@code version}'s vectors; built on first use. */
    public EmbeddingModel model(EmbeddingVersion version) {
        return models.computeIfAbsent(require(version.tag()).tag(), tag -> build(version));
    }

    private List<String> knownTags() {
        return Stream.concat(Stream.of(configured.tag()), IN_PROCESS.keySet().stream()).distinct().sorted().toList();
    }

    private EmbeddingModel build(EmbeddingVersion version) {
        EmbeddingProvider provider = IN_PROCESS.get(version.tag());
        if (provider == EmbeddingProvider.MINILM_QUANTIZED) return new AllMiniLmL6V2QuantizedEmbeddingModel();
        if (provider == EmbeddingProvider.MINILM) return new AllMiniLmL6V2EmbeddingModel();
        String model = version.tag().substring(0, version.tag().lastIndexOf('-'));
        return openAiModels.apply(new EmbeddingProperties.OpenAi(openai.apiKey(), openai.baseUrl(), model, version.dimensions()));
    }
}

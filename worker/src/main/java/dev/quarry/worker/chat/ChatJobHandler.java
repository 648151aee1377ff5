package dev.quarry.worker.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.conversations.ChatProperties;
import dev.quarry.conversations.Citation;
import dev.quarry.conversations.Conversation;
import dev.quarry.conversations.DeltaBatcher;
import dev.quarry.conversations.ExtractiveAnswer;
import dev.quarry.conversations.Grounding;
import dev.quarry.conversations.Message;
import dev.quarry.conversations.MessageRole;
import dev.quarry.conversations.ModelChoice;
import dev.quarry.conversations.PgConversations;
import dev.quarry.conversations.PgMessages;
import dev.quarry.jobs.ChatHandler;
import dev.quarry.jobs.ChatJob;
import dev.quarry.jobs.DeadLetterCause;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.llm.Completion;
import dev.quarry.llm.CostCalculator;
import dev.quarry.llm.LanguageModel;
import dev.quarry.llm.LanguageModelException;
import dev.quarry.llm.ModelStats;
import dev.quarry.llm.RequestCost;
import dev.quarry.llm.UnknownModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a CHAT job's question: grounds it ({@link Grounding}: hybrid search over the thread's collections,
 * then the prompt), streams the answer as {@code progress} events of step {@code answer} whose {@code delta}
 * is the next piece of text (batched by {@link DeltaBatcher}), stores it as the thread's assistant message,
 * and succeeds. The events are {@code job_events} rows, so a client that reconnects with
 * {@code Last-Event-ID} gets the rest of the answer, and the answer is stored whether a client listens or not.
 * <p>
 * Events, in order: {@code citations} (the passages, numbered as the answer cites them), {@code answer} with
 * {@code restart: true} (a retried attempt streams the answer again from the start: drop what an earlier
 * attempt sent), the {@code answer} deltas, then {@code stored} with the assistant message's id. A provider's
 * transient failure (429, 5xx, a cut stream) is thrown for Quarry's retry schedule ({@code quarry.retry.chat});
 * an unknown model or a permanent provider failure is dead-lettered at once.
 */
@Component
class ChatJobHandler implements ChatHandler {
    private static final Logger log = LoggerFactory.getLogger(ChatJobHandler.class);
    private final JobLifecycle lifecycle;
    private final PgMessages messages;
    private final PgConversations conversations;
    private final Grounding grounding;
    private final ModelChoice models;
    private final ChatProperties properties;
    private final ObjectMapper json;
    private final CostCalculator costs;
    private final ModelStats stats;

    ChatJobHandler(JobLifecycle lifecycle, PgMessages messages, PgConversations conversations, Grounding grounding,
                   ModelChoice models, ChatProperties properties, ObjectMapper json, CostCalculator costs,
                   ModelStats stats) {
        this.lifecycle = lifecycle;
        this.messages = messages;
        this.conversations = conversations;
        this.grounding = grounding;
        this.models = models;
        this.properties = properties;
        this.json = json;
        this.costs = costs;
        this.stats = stats;
    }

    @Override
    public void run(ChatJob job) {
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("chat {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        Optional<Message> question = messages.ofJob(job.jobId(), MessageRole.USER);
        Optional<Conversation> thread = question.flatMap(q -> conversations.find(job.tenantId(), q.conversationId()));
        if (question.isEmpty() || thread.isEmpty()) {
            lifecycle.fail(job.jobId(), job.tenantId(), JobEventData.Failed.NOTHING, "the question or its thread is gone");
            return;
        }
        Optional<Message> stored = messages.ofJob(job.jobId(), MessageRole.ASSISTANT);
        if (stored.isPresent()) { // answered before a crash, between storing and succeeding
            succeed(job, stored.get());
            return;
        }
        Optional<LanguageModel> model;
        try {
            model = models.lenient(thread.get());
        } catch (UnknownModelException e) {
            deadLetter(job, e);
            return;
        }
        Grounding.Grounded grounded = grounding.ground(thread.get(), question.get());
        progress(job, "citations", Map.of("citations", grounded.citations()));
        if (lifecycle.cancelRequested(job.jobId())) {
            lifecycle.cancel(job.jobId(), job.tenantId(), JobEventData.Cancelled.because("cancelled before the answer"));
            return;
        }
        progress(job, "answer", Map.of("restart", true));
        DeltaBatcher batcher = new DeltaBatcher(properties.deltaInterval(), properties.deltaMaxChars(), System::nanoTime,
                delta -> progress(job, "answer", Map.of("delta", delta)));
        Completion completion;
        if (model.isPresent()) {
            long started = System.nanoTime();
            try {
                completion = model.get().stream(grounded.prompt(), batcher::accept);
                stats.completed(model.get(), Duration.ofNanos(System.nanoTime() - started), completion);
            } catch (LanguageModelException e) {
                stats.failed(model.get(), e); // the registry's error rate counts every failed call, retried or not
                if (e.transientFailure()) throw e; // Quarry's retry schedule; the next attempt restarts the answer
                deadLetter(job, e);
                return;
            }
        } else {
            List<String> pieces = ExtractiveAnswer.pieces(grounded.citations());
            pieces.forEach(batcher::accept);
            completion = new Completion(String.join("", pieces), 0, 0, "extractive");
        }
        batcher.finish();
        Message answer = messages.answer(thread.get(), job.jobId(), completion.text(),
                metadata(grounded, completion, model.orElse(null)));
        conversations.touch(thread.get().id());
        succeed(job, answer);
        log.info("chat {} answered: {} characters in {} batches, {} passages, {}", job.jobId(),
                completion.text().length(), batcher.batches(), grounded.citations().size(),
                model.map(m -> m.provider() + "/" + m.model()).orElse("extractive"));
    }

    private void succeed(ChatJob job, Message answer) {
        progress(job, "stored", Map.of("messageId", answer.id().toString()));
        lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.NOTHING);
    }

    private void progress(ChatJob job, String step, Map<String, Object> details) {
        lifecycle.progress(job.jobId(), job.tenantId(), new JobEventData.Progress(step, 0, 0, details));
    }

    private void deadLetter(ChatJob job, RuntimeException cause) {
        lifecycle.deadLetter(job.jobId(), job.tenantId(), new DeadLetterCause(cause.getClass().getName(),
                cause.getMessage(), cause.getClass().getName(), DeadLetterCause.Classification.PERMANENT, 1));
    }

    /** The answer's metadata: its citations, who answered, the tokens counted and the prompt's estimate. */
    private String metadata(Grounding.Grounded grounded, Completion completion, LanguageModel model) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("citations", grounded.citations().stream().map(ChatJobHandler::cited).toList());
        metadata.put("extractive", model == null);
        if (model != null) {
            metadata.put("provider", model.provider());
            metadata.put("model", model.model());
        }
        metadata.put("inputTokens", completion.inputTokens());
        metadata.put("outputTokens", completion.outputTokens());
        if (model != null) {
            RequestCost cost = costs.cost(model, completion);
            metadata.put("costUsd", cost.totalCostUsd());
            metadata.put("priced", cost.priced()); // false: no price in the table, the cost is 0 and the tokens count
        }
        metadata.put("estimatedPromptTokens", grounded.estimatedTokens());
        metadata.put("finishReason", completion.finishReason());
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings, numbers and records is always serializable", e);
        }
    }

    /** A citation as the answer's metadata keeps it: without the passage's text, which the document holds. */
    private static Map<String, Object> cited(Citation citation) {
        Map<String, Object> cited = new LinkedHashMap<>();
        cited.put("number", citation.number());
        cited.put("chunkId", citation.chunkId());
        cited.put("documentId", citation.documentId());
        cited.put("title", citation.title());
        cited.put("ordinal", citation.ordinal());
        cited.put("collection", citation.collection());
        cited.put("score", citation.score());
        return cited;
    }
}

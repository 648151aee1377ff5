package dev.quarry.conversations;

import dev.quarry.documents.DocumentViewer;
import dev.quarry.llm.ChatPrompt;
import dev.quarry.llm.ChatPrompt.PromptMessage;
import dev.quarry.search.FusionWeights;
import dev.quarry.search.HybridSearch;
import dev.quarry.search.SearchFilters;
import dev.quarry.search.SearchHit;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchProperties;
import dev.quarry.search.SearchRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Grounds a question: retrieves passages with Quarry's one hybrid search ({@link HybridSearch}, the same as
 * {@code GET /api/v1/search}) over the collections a thread allows, and builds the prompt: the system text,
 * the numbered passages, as much of the thread's history as the budget leaves, and the question. The chat
 * job and {@code POST /api/v1/rag/augment} both call it, so a client with its own model gets exactly the
 * prompt Quarry's chat would send.
 */
@Service
@EnableConfigurationProperties(ChatProperties.class)
public class Grounding {
    /** The search refuses longer queries; a long question is searched by its beginning. */
    static final int MAX_QUERY_CHARS = 8000;
    /** The budget's estimate: about four characters of English per token. */
    public static final int CHARS_PER_TOKEN = 4;
    private final HybridSearch search;
    private final SearchProperties searchProperties;
    private final ChatProperties properties;
    private final PgMessages messages;

    Grounding(HybridSearch search, SearchProperties searchProperties, ChatProperties properties, PgMessages messages) {
        this.search = search;
        this.searchProperties = searchProperties;
        this.properties = properties;
        this.messages = messages;
    }

    /** A prompt and the passages it cites, as {@code [number]}. */
    public record Grounded(ChatPrompt prompt, List<Citation> citations, long estimatedTokens) {
    }

    /**
     * The best passages for {@code question} in {@code collections} (all of the tenant's when empty), from the
     * documents {@code viewer} may see.
     */
    public List<Citation> passages(String tenant, DocumentViewer viewer, String question, List<String> collections) {
        String query = question.length() > MAX_QUERY_CHARS ? question.substring(0, MAX_QUERY_CHARS) : question;
        int k = properties.passages();
        FusionWeights weights = new FusionWeights(searchProperties.keywordWeight(), searchProperties.vectorWeight(),
                searchProperties.rrfK(), null, Map.of());
        List<SearchHit> hits = new ArrayList<>();
        for (String collection : collections.isEmpty() ? Collections.<String>singletonList(null) : collections) {
            SearchFilters filters = SearchFilters.of(collection, viewer);
            hits.addAll(search.search(tenant, new SearchRequest(query, k, SearchMode.HYBRID, filters, weights,
                    searchProperties.feedbackHits())).hits());
        }
        // Several collections: one ranking of the union, by the same fused score each search computed.
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        List<Citation> citations = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (SearchHit hit : hits) {
            if (citations.size() == k) break;
            if (!seen.add(hit.chunkId())) continue;
            citations.add(new Citation(citations.size() + 1, hit.chunkId(), hit.documentId(), hit.title(),
                    hit.ordinal(), hit.collection(), hit.score(), hit.text()));
        }
        return citations;
    }

    /**
     * The prompt for a question asked in a thread: {@code question} is the stored user message, and the
     * history is what came before it. The passages come from what the thread's owner sees as a user: the
     * tenant's shared documents and their own private ones. (The chat job does not know the owner's roles, so
     * a tenant admin's thread is grounded as a user's too; {@code POST /api/v1/rag/augment} grounds on all.)
     */
    public Grounded ground(Conversation thread, Message question) {
        List<Citation> citations = passages(thread.tenantId(), DocumentViewer.user(thread.owner()), question.content(),
                thread.collections());
        return prompt(citations, question.content(), thread.id(), question);
    }

    /**
     * The prompt for a question, with the history of {@code thread} (none when null) before {@code before}
     * (all of it when null).
     */
    public Grounded prompt(List<Citation> citations, String question, UUID thread, Message before) {
        String context = context(citations);
        long fixedChars = properties.systemPrompt().length() + context.length() + question.length();
        long historyChars = Math.max(0, (long) properties.promptTokens() * CHARS_PER_TOKEN - fixedChars);
        List<PromptMessage> prompt = new ArrayList<>();
        prompt.add(new PromptMessage("system", properties.systemPrompt() + "\n\n" + context));
        long chars = fixedChars;
        if (thread != null) {
            for (Message message : messages.history(thread, before, historyChars)) {
                prompt.add(new PromptMessage(message.role().wire(), message.content()));
                chars += message.content().length();
            }
        }
        prompt.add(new PromptMessage("user", question));
        return new Grounded(new ChatPrompt(prompt), citations, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN);
    }

    /** The passages as the system message lists them. */
    static String context(List<Citation> citations) {
        if (citations.isEmpty()) return "Passages: none of the documents matches the question.";
        StringBuilder context = new StringBuilder("Passages:");
        for (Citation citation : citations) {
            context.append("\n\n[").append(citation.number()).append("] ").append(citation.title())
                    .append(" (document ").append(citation.documentId()).append(", chunk ")
                    .append(citation.chunkId()).append(")\n").append(citation.text());
        }
        return context.toString();
    }
}

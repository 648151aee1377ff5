package dev.quarry.api.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The answers of the analytics endpoints. Durations are milliseconds, costs USD; a null tenant means every tenant. */
final class AnalyticsReports {
    private AnalyticsReports() {
    }

    record Overview(String tenant, LocalDate from, LocalDate to, long requests, long clientErrors, long serverErrors,
                    double errorRate, long users, long activeUsers24h, long conversationsCreated, long messages,
                    long inputTokens, long outputTokens, double costUsd) {
    }

    record Users(String tenant, LocalDate from, LocalDate to, long users, long activeUsers24h, List<User> mostActive) {
    }

    record User(String tenant, String subject, long requests, long messages, Instant lastSeen) {
    }

    record Conversations(String tenant, LocalDate from, LocalDate to, long created, long active,
                         List<Conversation> mostActive) {
    }

    record Conversation(String conversationId, String tenant, String owner, long messages, long inputTokens,
                        long outputTokens, double costUsd) {
    }

    record Messages(String tenant, LocalDate from, LocalDate to, long total, Map<String, Long> byRole, List<Day> perDay) {
    }

    record Day(LocalDate day, long messages) {
    }

    record Tokens(String tenant, LocalDate from, LocalDate to, long inputTokens, long outputTokens, double costUsd,
                  List<UserTokens> perUser, List<Conversation> perConversation, List<ModelTokens> perModel) {
    }

    record UserTokens(String tenant, String subject, long answers, long inputTokens, long outputTokens, double costUsd) {
    }

    /** Answers of a language model (extractive answers, which name none, are not among them). */
    record ModelTokens(String provider, String model, long answers, long inputTokens, long outputTokens, double costUsd) {
    }

    /** errorRate counts server errors (5xx) only; clientErrorRate the 4xx a client caused. */
    record ApiUsage(String tenant, LocalDate from, LocalDate to, long requests, List<Endpoint> endpoints) {
    }

    record Endpoint(String method, String route, long requests, long clientErrors, long serverErrors, double errorRate,
                    double clientErrorRate, double p50Ms, double p95Ms) {
    }

    record DailyStats(String tenant, LocalDate from, LocalDate to, List<DailyRow> days) {
    }

    /** One day of one tenant ('' for requests without a tenant), as the recurring job built it. */
    record DailyRow(LocalDate day, String tenant, long requests, long clientErrors, long serverErrors, Double p50Ms,
                    Double p95Ms, long activeUsers, long conversationsCreated, long messages, long inputTokens,
                    long outputTokens, double costUsd, Instant builtAt) {
    }
}

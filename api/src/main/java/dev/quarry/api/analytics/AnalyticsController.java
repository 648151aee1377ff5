package dev.quarry.api.analytics;

import dev.quarry.api.admin.TenantScope;
import dev.quarry.api.analytics.AnalyticsReports.ApiUsage;
import dev.quarry.api.analytics.AnalyticsReports.Conversations;
import dev.quarry.api.analytics.AnalyticsReports.DailyStats;
import dev.quarry.api.analytics.AnalyticsReports.Messages;
import dev.quarry.api.analytics.AnalyticsReports.Overview;
import dev.quarry.api.analytics.AnalyticsReports.Tokens;
import dev.quarry.api.analytics.AnalyticsReports.Users;
import dev.quarry.api.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics reports, for admins: a tenant admin sees its own tenant, an operator every tenant or the one it names
 * ({@link TenantScope}; the security chain lets only those roles into {@code /api/v1/admin/}). Every report takes
 * {@code from} and {@code to} (ISO dates, UTC days, both included; default the last 30 days) and the top lists
 * {@code limit} (1 to 100, default 10). Requests are counted as the request tracking recorded them, which lags the
 * requests by its linger (0.2 s); {@code daily-stats} reads the daily aggregates, rebuilt every 15 minutes.
 */
@RestController
@RequestMapping("/api/v1/admin/analytics")
class AnalyticsController {
    private final PgAnalytics analytics;

    AnalyticsController(PgAnalytics analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Totals: requests and error rate, users (and active over the last 24 h), conversations, "
            + "messages, tokens and cost")
    @GetMapping("/overview")
    Overview overview(Caller caller, @RequestParam(required = false) String tenant,
                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return analytics.overview(range(caller, tenant, from, to, null));
    }

    @Operation(summary = "Users: how many, active over the last 24 h, and the most active by requests")
    @GetMapping("/users")
    Users users(Caller caller, @RequestParam(required = false) String tenant, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, @RequestParam(required = false) String limit) {
        return analytics.users(range(caller, tenant, from, to, limit));
    }

    @Operation(summary = "Conversations: created, with messages, and the most active")
    @GetMapping("/conversations")
    Conversations conversations(Caller caller, @RequestParam(required = false) String tenant,
                                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                @RequestParam(required = false) String limit) {
        return analytics.conversations(range(caller, tenant, from, to, limit));
    }

    @Operation(summary = "Messages: by role, and per UTC day")
    @GetMapping("/messages")
    Messages messages(Caller caller, @RequestParam(required = false) String tenant,
                      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return analytics.messages(range(caller, tenant, from, to, null));
    }

    @Operation(summary = "Answers' tokens and cost: totals, per user, per conversation and per model")
    @GetMapping("/tokens")
    Tokens tokens(Caller caller, @RequestParam(required = false) String tenant, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, @RequestParam(required = false) String limit) {
        return analytics.tokens(range(caller, tenant, from, to, limit));
    }

    @Operation(summary = "API requests per endpoint (method and route template): count, error rates, p50 and p95")
    @GetMapping("/api-usage")
    ApiUsage apiUsage(Caller caller, @RequestParam(required = false) String tenant,
                      @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                      @RequestParam(required = false) String limit) {
        return analytics.apiUsage(range(caller, tenant, from, to, limit));
    }

    @Operation(summary = "The daily aggregates, one row per UTC day and tenant")
    @GetMapping("/daily-stats")
    DailyStats dailyStats(Caller caller, @RequestParam(required = false) String tenant,
                          @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return analytics.dailyStats(range(caller, tenant, from, to, null));
    }

    private static ReportRange range(Caller caller, String tenant, String from, String to, String limit) {
        return ReportRange.of(TenantScope.of(caller, tenant).tenant(), from, to, limit);
    }
}

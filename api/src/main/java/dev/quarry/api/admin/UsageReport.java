package dev.quarry.api.admin;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Embedding usage over {@code from}..{@code to} (UTC days, both included), of one tenant or of all: one row
 * per day and model version, and the totals. Cost is in USD at the prices in force when the work was done.
 */
record UsageReport(String tenant, LocalDate from, LocalDate to, List<Day> days, Totals totals) {

    record Day(LocalDate day, String model, String version, long tokens, long segments, long calls,
               BigDecimal costUsd) {
    }

    record Totals(long tokens, long segments, long calls, BigDecimal costUsd) {
    }
}

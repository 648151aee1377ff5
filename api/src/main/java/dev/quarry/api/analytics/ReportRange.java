package dev.quarry.api.analytics;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.DayRange;
import dev.quarry.api.web.ProblemKind;

import java.sql.Timestamp;
import java.time.LocalDate;

/**
 * What a report covers: a tenant or (null) every tenant, the UTC days ({@link DayRange}: default the last 30 days),
 * and how many rows a top list shows (1 to 100, default 10). Bad input is a 400 problem naming the parameter.
 */
record ReportRange(String tenant, DayRange days, int limit) {
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_LIMIT = 10;

    static ReportRange of(String tenant, String from, String to, String limit) {
        return new ReportRange(tenant, DayRange.parse(from, to), limit(limit));
    }

    LocalDate from() {
        return days.from();
    }

    LocalDate to() {
        return days.to();
    }

    Timestamp start() {
        return days.start();
    }

    Timestamp end() {
        return days.end();
    }

    private static int limit(String value) {
        if (value == null) return DEFAULT_LIMIT;
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) return limit;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}

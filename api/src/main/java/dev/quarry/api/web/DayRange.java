package dev.quarry.api.web;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The UTC days a report covers, {@code from} to {@code to}, both included, from a report's {@code from} and
 * {@code to} parameters (ISO dates): by default the last 30 days up to today, at most a year (366 days) so a
 * report stays a small answer. Bad input is a 400 {@code invalid-parameter} problem naming the parameter.
 */
public record DayRange(LocalDate from, LocalDate to) {
    public static final int MAX_DAYS = 366;
    public static final int DEFAULT_DAYS = 30;

    public static DayRange parse(String from, String to) {
        LocalDate last = to == null ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
        LocalDate first = from == null ? last.minusDays(DEFAULT_DAYS - 1) : date("from", from);
        if (first.isAfter(last)) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "from must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, "a report spans at most " + MAX_DAYS + " days");
        }
        return new DayRange(first, last);
    }

    /** The first instant of the range, for timestamp columns. */
    public Timestamp start() {
        return Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** The first instant after the range. */
    public Timestamp end() {
        return Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER, name + " must be an ISO date such as 2026-01-31");
        }
    }
}

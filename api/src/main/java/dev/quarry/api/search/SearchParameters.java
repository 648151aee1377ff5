package dev.quarry.api.search;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.documents.DocumentViewer;
import dev.quarry.search.FusionWeights;
import dev.quarry.search.SearchFilters;
import dev.quarry.search.SearchMode;
import dev.quarry.search.SearchProperties;
import dev.quarry.search.SearchRequest;
import org.springframework.util.MultiValueMap;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates the query string of a search. Every mistake is a 400 invalid-parameter problem
 * naming the parameter, never a 500 and never silently ignored: an unknown parameter is far more likely a
 * typo ({@code halflife}) than something the client meant to be dropped.
 */
final class SearchParameters {
    static final int MAX_K = 100;
    /**
     * Long enough for a pasted paragraph or a chat turn (RAG input); the vector leg embeds a long query in
     * the model's windows and fuses them, and the keyword leg scores only its distinct lexemes.
     */
    static final int MAX_QUERY_LENGTH = 8000;
    private static final Set<String> KNOWN = Set.of("q", "k", "mode", "collection", "tags", "source", "mediaType",
            "createdFrom", "createdTo", "halfLife", "keywordWeight", "vectorWeight", "rrfK", "reliabilityBoost",
            "feedback", "scope");
    private static final Set<String> RELIABILITIES = Set.of("verified", "official", "community", "unknown");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+");
    private static final double MAX_WEIGHT = 100;
    private static final double MAX_RRF_K = 10_000;
    private static final double MAX_BOOST = 100;

    private SearchParameters() {
    }

    static SearchRequest parse(MultiValueMap<String, String> params, SearchProperties defaults) {
        return parse(params, defaults, null, DocumentViewer.ALL);
    }

    /**
     * @param subject the caller's {@code sub}, which {@code scope=mine} narrows the search to
     * @param viewer  whose search it is: a user's finds only the shared documents and their own
     */
    static SearchRequest parse(MultiValueMap<String, String> params, SearchProperties defaults, String subject,
                               DocumentViewer viewer) {
        for (var entry : params.entrySet()) {
            if (!KNOWN.contains(entry.getKey())) throw invalid("unknown parameter " + entry.getKey()
                    + "; known: " + String.join(", ", KNOWN.stream().sorted().toList()));
            if (entry.getValue().size() > 1 && !entry.getKey().equals("tags")) {
                throw invalid(entry.getKey() + " may be given once");
            }
        }
        String q = params.getFirst("q");
        if (q == null || q.isBlank()) throw invalid("q must be a non-blank query");
        if (q.length() > MAX_QUERY_LENGTH || hasNul(q)) {
            throw invalid("q must be at most " + MAX_QUERY_LENGTH + " characters, without NUL");
        }
        int k = integer(params, "k", 10, 1, MAX_K);
        SearchMode mode = mode(params.getFirst("mode"));
        double keywordWeight = number(params, "keywordWeight", defaults.keywordWeight(), MAX_WEIGHT);
        double vectorWeight = number(params, "vectorWeight", defaults.vectorWeight(), MAX_WEIGHT);
        if (mode == SearchMode.HYBRID && keywordWeight == 0 && vectorWeight == 0) {
            throw invalid("keywordWeight and vectorWeight cannot both be 0");
        }
        double rrfK = number(params, "rrfK", defaults.rrfK(), MAX_RRF_K);
        var weights = new FusionWeights(keywordWeight, vectorWeight, rrfK, halfLife(params.getFirst("halfLife")),
                boosts(params.getFirst("reliabilityBoost")));
        int feedback = integer(params, "feedback", defaults.feedbackHits(), 0, 10);
        return new SearchRequest(q, k, mode, filters(params, subject, viewer), weights, feedback);
    }

    private static SearchFilters filters(MultiValueMap<String, String> params, String subject, DocumentViewer viewer) {
        String collection = blankToNull(params.getFirst("collection"));
        if (collection != null && !COLLECTION.matcher(collection).matches()) {
            throw invalid("collection must be 1 to 100 letters, digits, '.', '_' or '-'");
        }
        List<String> tags = new ArrayList<>();
        for (String value : params.getOrDefault("tags", List.of())) {
            for (String tag : value.split(",")) {
                if (tag.isBlank() || tag.length() > 100 || hasNul(tag)) {
                    throw invalid("tags must be non-blank, comma-separated, at most 100 characters each");
                }
                tags.add(tag);
            }
        }
        if (tags.size() > 50) throw invalid("tags may name at most 50 tags");
        String source = blankToNull(params.getFirst("source"));
        if (source != null && (source.length() > 2000 || hasNul(source))) {
            throw invalid("source must be at most 2000 characters, without NUL");
        }
        String mediaType = blankToNull(params.getFirst("mediaType"));
        if (mediaType != null && (mediaType.length() > 255 || !MEDIA_TYPE.matcher(mediaType).matches())) {
            throw invalid("mediaType must look like type/subtype, e.g. text/plain");
        }
        Instant from = instant(params.getFirst("createdFrom"), "createdFrom");
        Instant to = instant(params.getFirst("createdTo"), "createdTo");
        if (from != null && to != null && !from.isBefore(to)) throw invalid("createdFrom must be before createdTo");
        return new SearchFilters(collection, tags, source, mediaType, from, to, uploadedBy(params, subject), viewer);
    }

    /** {@code scope=mine}: the caller's own uploads; {@code all} (the default): the tenant's documents. */
    private static String uploadedBy(MultiValueMap<String, String> params, String subject) {
        String scope = blankToNull(params.getFirst("scope"));
        if (scope == null || scope.equals("all")) return null;
        if (!scope.equals("mine")) throw invalid("scope must be mine or all");
        if (subject == null || subject.isBlank()) throw invalid("scope=mine needs a token with a sub");
        return subject;
    }

    private static SearchMode mode(String value) {
        if (value == null) return SearchMode.HYBRID;
        try {
            return SearchMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("mode must be hybrid, keyword or vector");
        }
    }

    private static int integer(MultiValueMap<String, String> params, String name, int fallback, int min, int max) {
        String value = params.getFirst(name);
        if (value == null) return fallback;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name + " must be an integer between " + min + " and " + max);
    }

    private static double number(MultiValueMap<String, String> params, String name, double fallback, double max) {
        String value = params.getFirst(name);
        if (value == null) return fallback;
        try {
            double parsed = Double.parseDouble(value.trim());
            if (Double.isFinite(parsed) && parsed >= 0 && parsed <= max) return parsed;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name + " must be a number between 0 and " + (long) max);
    }

    /** ISO-8601: PT12H, P30D, P2W or P1DT6H. Months and years have no fixed length, so they are refused. */
    static Duration halfLife(String value) {
        if (value == null) return null;
        String text = value.trim().toUpperCase(Locale.ROOT);
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeException notDuration) {
            try {
                Period period = Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) throw invalid(
                        "halfLife must be in days, weeks or smaller units (P30D, not P1M), as months vary in length");
                duration = Duration.ofDays(period.getDays());
            } catch (DateTimeException notPeriod) {
                throw invalid("halfLife must be an ISO-8601 duration such as P30D or PT12H (P0D turns decay off)");
            }
        }
        if (duration.isNegative() || (!duration.isZero() && duration.compareTo(Duration.ofSeconds(1)) < 0)) {
            throw invalid("halfLife must be at least one second, or zero to turn decay off");
        }
        return duration;
    }

    /** {@code verified:2,official:1.5}: multiply the score of hits with that reliability tag. */
    static Map<String, Double> boosts(String value) {
        if (value == null || value.isBlank()) return Map.of();
        Map<String, Double> boosts = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            String[] parts = pair.split(":", -1);
            String tag = parts[0].trim();
            Double factor = null;
            if (parts.length == 2) {
                try {
                    factor = Double.parseDouble(parts[1].trim());
                } catch (NumberFormatException e) {
                    factor = null;
                }
            }
            if (!RELIABILITIES.contains(tag) || factor == null || !Double.isFinite(factor) || factor <= 0
                    || factor > MAX_BOOST || boosts.put(tag, factor) != null) {
                throw invalid("reliabilityBoost must be tag:factor pairs such as verified:2,official:1.5, with "
                        + "each of verified, official, community, unknown at most once and factors in (0, 100]");
            }
        }
        return boosts;
    }

    /** An ISO-8601 instant (2024-05-01T12:00:00Z), offset date-time, or date (midnight UTC). */
    private static Instant instant(String value, String name) {
        if (value == null || value.isBlank()) return null;
        String text = value.trim();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notDate) {
                throw invalid(name + " must be an ISO-8601 date-time with offset (2024-05-01T12:00:00Z) or a date");
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean hasNul(String value) {
        return value.indexOf('\0') >= 0;
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(ProblemKind.INVALID_PARAMETER, detail);
    }
}

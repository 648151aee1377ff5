package dev.quarry.analytics;

/**
 * SQL expressions over a {@code conversation_messages} row aliased {@code m}: the tokens and cost a CHAT job wrote
 * into an answer's metadata ({@code inputTokens}, {@code outputTokens}, {@code costUsd}). A message without them
 * (a question, an answer from before pricing) counts 0; so does a value that is not a JSON number, so one odd
 * row cannot fail a report.
 */
public final class MessageTokens {
    public static final String INPUT = number("inputTokens") + "::bigint";
    public static final String OUTPUT = number("outputTokens") + "::bigint";
    public static final String COST_USD = number("costUsd") + "::double precision";

    private MessageTokens() {
    }

    private static String number(String key) {
        return "(case when jsonb_typeof(m.metadata -> '" + key + "') = 'number' then (m.metadata ->> '" + key
                + "')::numeric else 0 end)";
    }
}

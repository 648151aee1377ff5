package dev.quarry.conversations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * {@code quarry.chat.*}: grounded chat.
 *
 * @param maxMessageBytes  the largest user message that starts a chat (UTF-8); larger ones are refused with 413.
 *                         Stored messages have no such limit ({@code POST .../messages} takes up to
 *                         {@code maxStoredMessage})
 * @param maxStoredMessage the largest message body {@code POST /api/v1/conversations/{id}/messages} reads
 * @param passages         how many passages the chat retrieves and cites
 * @param promptTokens     the prompt's budget (estimated at 4 characters a token): the system text, the
 *                         passages and the question first, then as much history as fits, newest first
 * @param deltaInterval    the longest a streamed piece of the answer waits before it is written as an event
 * @param deltaMaxChars    a batch of the answer is written as soon as it holds this many characters
 * @param systemPrompt     the system message of every grounded prompt
 */
@ConfigurationProperties("quarry.chat")
public record ChatProperties(DataSize maxMessageBytes, DataSize maxStoredMessage, Integer passages,
                             Integer promptTokens, Duration deltaInterval, Integer deltaMaxChars,
                             String systemPrompt) {
    public static final String DEFAULT_SYSTEM_PROMPT = "You answer questions using only the numbered passages "
            + "below. Cite each claim with the passage number in brackets, e.g. [1]. If the passages do not "
            + "contain the answer, say so plainly.";

    public ChatProperties {
        maxMessageBytes = maxMessageBytes == null ? DataSize.ofKilobytes(64) : maxMessageBytes;
        maxStoredMessage = maxStoredMessage == null ? DataSize.ofMegabytes(16) : maxStoredMessage;
        passages = passages == null ? 6 : passages;
        promptTokens = promptTokens == null ? 8000 : promptTokens;
        deltaInterval = deltaInterval == null ? Duration.ofMillis(50) : deltaInterval;
        deltaMaxChars = deltaMaxChars == null ? 200 : deltaMaxChars;
        systemPrompt = systemPrompt == null || systemPrompt.isBlank() ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
    }
}

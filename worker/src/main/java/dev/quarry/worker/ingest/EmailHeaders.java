package dev.quarry.worker.ingest;

import org.apache.tika.metadata.Message;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;

import java.util.List;

/**
 * An email's subject, sender, recipients and date, as lines at the head of its text: Tika's mail parser puts
 * them in the metadata only, and they are what people search mail by ("the mail from Alice about the
 * crusher"). Lines of the form {@code Subject: ...}, as a mail client shows them; a header the message does
 * not have is left out. The values are Tika's decoded ones (RFC 2047 words decoded).
 */
final class EmailHeaders {
    private record Header(String label, String... keys) {
    }

    private static final List<Header> HEADERS = List.of(
            new Header("Subject", TikaCoreProperties.TITLE.getName(), TikaCoreProperties.SUBJECT.getName()),
            new Header("From", Message.MESSAGE_FROM, TikaCoreProperties.CREATOR.getName()),
            new Header("To", Message.MESSAGE_TO),
            new Header("Cc", Message.MESSAGE_CC),
            new Header("Date", TikaCoreProperties.CREATED.getName()));

    private EmailHeaders() {
    }

    static String of(Metadata metadata) {
        StringBuilder lines = new StringBuilder();
        for (Header header : HEADERS) {
            for (String key : header.keys()) {
                String[] values = metadata.getValues(key);
                if (values.length == 0) continue;
                lines.append(header.label()).append(": ").append(String.join(", ", values).strip()).append('\n');
                break;
            }
        }
        return lines.toString();
    }
}

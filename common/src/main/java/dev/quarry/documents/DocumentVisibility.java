package dev.quarry.documents;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who inside a tenant sees a document ({@code documents.visibility}, V34): {@code shared} with every user of the
 * tenant (the default, as every document was before), or {@code private} to its uploader. Tenant admins and
 * operators see both ({@link DocumentViewer}).
 */
public enum DocumentVisibility {
    SHARED, PRIVATE;

    /** The name in the API and in the database. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DocumentVisibility> parse(String wire) {
        return Arrays.stream(values()).filter(value -> value.wire().equals(wire)).findFirst();
    }
}

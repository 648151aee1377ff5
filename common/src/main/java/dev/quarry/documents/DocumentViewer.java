package dev.quarry.documents;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Whose eyes a query over a tenant's documents serves: everyone's document set is the tenant's, narrowed for
 * a plain user to the shared documents and their own private ones. Every read of documents on a caller's
 * behalf (listing, one document, re-ingest, deletion, search, grounding, exports) applies {@link #sql}, so a
 * private document of another user is indistinguishable from a missing one; so are its jobs.
 *
 * @param seesAll  a tenant admin or an operator: every document of the tenant
 * @param subject  the caller's {@code sub}, whose private documents they see; null sees the shared ones only
 */
public record DocumentViewer(boolean seesAll, String subject) {
    /** Tenant admins, operators and the platform's own jobs. */
    public static final DocumentViewer ALL = new DocumentViewer(true, null);
    private static final String CONDITION = "(d.visibility = 'shared' or d.uploaded_by = %s)";

    /** A user: the tenant's shared documents and the private ones {@code subject} uploaded. */
    public static DocumentViewer user(String subject) {
        return new DocumentViewer(false, subject);
    }

    /**
     * The condition on {@code documents d} with one named parameter, {@code :viewer} (see {@link #bind}),
     * or an empty string when the viewer sees everything.
     */
    public String sql() {
        return seesAll ? "" : " and " + CONDITION.formatted(":viewer");
    }

    /** The opposite of {@link #sql} (what the viewer may not see), with the same parameter; never for ALL. */
    String hiddenSql() {
        return " and not " + CONDITION.formatted(":viewer");
    }

    /** The condition of {@link #sql} for a JDBC statement with positional parameters: the subject is its one. */
    public static String positionalSql() {
        return " and " + CONDITION.formatted("?");
    }

    /** Binds {@code :viewer} when {@link #sql} has it; an unknown subject matches no uploader. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
        return seesAll ? statement : statement.param("viewer", subject == null ? "" : subject);
    }
}

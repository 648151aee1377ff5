package dev.quarry.embedding;

import java.util.regex.Pattern;

/** The tag ({@code model@revision}) stored with every vector, and the dimensions of those vectors. */
public record EmbeddingVersion(String tag, int dimensions) {
    /** Tags end up as SQL literals (partial index predicates), so they are kept to a safe alphabet. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}@[A-Za-z0-9._-]{1,20}");

    public EmbeddingVersion {
        if (!isWellFormed(tag)) throw new IllegalArgumentException("not an embedding version tag: " + tag);
        if (dimensions < 1 || dimensions > 2000) {
            // pgvector's HNSW indexes vectors of at most 2,000 dimensions.
            throw new IllegalArgumentException("embedding dimensions must be 1 to 2000, not " + dimensions);
        }
    }

    public static boolean isWellFormed(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** The tag as a SQL string literal; safe because a well-formed tag holds no quote. */
    public String sqlLiteral() {
        return "'" + tag + "'";
    }

    /** The cast that every query of this version applies to the column, so that its partial index is used. */
    public String sqlCast() {
        return "vector(" + dimensions + ")";
    }
}

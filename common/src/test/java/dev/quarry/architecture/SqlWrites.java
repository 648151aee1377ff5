package dev.quarry.architecture;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the tables a Java source file writes with SQL: {@code insert into t}, {@code update t [as a] set},
 * {@code delete from t}, {@code truncate [table] t}, {@code copy t (} / {@code copy t from}. Comments are
 * removed first, so prose that says "update jobs" does not count; SQL text in strings does.
 */
final class SqlWrites {
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$");
    private static final Pattern SQL_LINE_COMMENT = Pattern.compile("--[^\"\\n]*");
    private static final Pattern WRITE = Pattern.compile(
            "(?i)\\b(?:insert\\s+into|delete\\s+from|truncate(?:\\s+table)?)\\s+([a-z_][a-z0-9_]*)"
                    + "|\\bupdate\\s+([a-z_][a-z0-9_]*)(?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?\\s+set\\b"
                    + "|\\bcopy\\s+([a-z_][a-z0-9_]*)\\s*(?:\\(|from\\b)");

    private SqlWrites() {
    }

    /** The tables among {@code known} that {@code source} writes. */
    static Set<String> in(String source, Set<String> known) {
        String code = SQL_LINE_COMMENT.matcher(
                LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source).replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
        Set<String> tables = new LinkedHashSet<>();
        Matcher m = WRITE.matcher(code);
        while (m.find()) {
            for (int group = 1; group <= 3; group++) {
                String table = m.group(group);
                if (table != null && known.contains(table.toLowerCase())) tables.add(table.toLowerCase());
            }
        }
        return tables;
    }
}

package dev.quarry.api.operations;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Label matchers, ranges, grouping clauses and strings are removed
 * first; what is left that is neither a function call nor a keyword is a metric name.
 */
final class PromQl {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {
    }

    static Set<String> metricNames(Collection<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            String bare = expression.replaceAll("\"[^\"]*\"", "")
                    .replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\[[^\\]]*]", "")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                    .replaceAll("\\boffset\\s+\\w+", " ")
                    .replaceAll("\\b\\d+(\\.\\d+)?([eE][+-]?\\d+)?\\b", " ");
            Matcher identifier = IDENTIFIER.matcher(bare);
            while (identifier.find()) {
                String name = identifier.group();
                // A name followed by "(" is a function.
                int end = identifier.end();
                if (end < bare.length() && bare.substring(end).stripLeading().startsWith("(")) continue;
                if (!KEYWORDS.contains(name)) names.add(name);
            }
        }
        return names;
    }
}

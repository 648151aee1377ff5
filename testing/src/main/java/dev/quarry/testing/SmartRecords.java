package dev.quarry.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMART layout shared by Cranfield, MED and CACM: a record starts at ".I n", its fields at ".X" lines.
 * Carriage returns are dropped (MED and Cranfield's queries have CRLF line endings).
 */
final class SmartRecords {
    private SmartRecords() {
    }

    /** Each record's fields by letter; the id is under 'I'. */
    static List<Map<Character, String>> parse(String content) {
        List<Map<Character, String>> out = new ArrayList<>();
        Map<Character, String> current = null;
        char field = 0;
        StringBuilder text = new StringBuilder();
        for (String line : content.replace("\r", "").split("\n")) {
            if (line.startsWith(".") && line.length() >= 2 && Character.isUpperCase(line.charAt(1))
                    && (line.length() == 2 || line.charAt(2) == ' ')) {
                if (current != null && field != 0) current.put(field, text.toString().trim());
                text.setLength(0);
                field = line.charAt(1);
                if (field == 'I') {
                    current = new HashMap<>();
                    out.add(current);
                    current.put('I', line.substring(2).trim());
                    field = 0;
                }
            } else {
                text.append(line).append('\n');
            }
        }
        if (current != null && field != 0) current.put(field, text.toString().trim());
        return out;
    }
}

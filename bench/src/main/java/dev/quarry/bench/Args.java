package dev.quarry.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line arguments. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --name value, got " + argv[i]);
            values.put(argv[i].substring(2), argv[i + 1]);
        }
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name);
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The Basic {@code Authorization} value for the worker's actuator and dashboard (operator credentials). */
    String workerAuthorization() {
        String credentials = get("worker-user", "operator") + ":" + get("worker-password");
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

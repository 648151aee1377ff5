package dev.quarry.api;

import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code bin/quarry up} does after starting the stack, run against the API with its production rate
 * limits (the other API tests turn them off): the script's sample ingest uploads every file of samples/,
 * follows each job's SSE stream to its end and shows a search. The defaults once refused the fifth upload
 * (eight uploads at an upload's cost exceed the free tier's minute), so a newcomer's first command failed;
 * nothing but this test runs the script.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, "quarry.rate-limit.enabled=true"})
class SamplesScriptIT extends ApiIntegrationTest {
    @RegisterExtension
    static final WorkerProcessExtension WORKER = new WorkerProcessExtension("samples-script");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void forgetTheAddress() {
        // Other tests call from this address too; the script starts with the address's bucket full, as on a
        // machine where nothing else called the API in the last minute.
        Set<String> keys = redis.keys("quarry:ratelimit:ip:*");
        if (keys != null && !keys.isEmpty()) redis.delete(keys);
    }

    @Test
    void the_sample_ingest_of_bin_quarry_up_succeeds_under_the_default_rate_limits() throws Exception {
        String script = ". bin/lib/services.sh && . bin/lib/run.sh && . bin/lib/samples.sh && ingest_samples && show_search";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + script)
                .directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("QUARRY_API_PORT", Integer.toString(port));
        builder.environment().put("ROOT", ROOT.toString());
        builder.environment().put("QUARRY_JWT_SECRET", TestTokens.SECRET);
        Process process = builder.start();
        process.getOutputStream().close();
        String output;
        try (var out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the script ended").isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(line -> line.contains(" succeeded ")).count()).as(output)
                .isEqualTo(samples());
        assertThat(output).contains("top hit: hybrid-search.md");
    }

    private static long samples() throws IOException {
        try (var files = Files.list(ROOT.resolve("samples"))) {
            return files.count();
        }
    }
}

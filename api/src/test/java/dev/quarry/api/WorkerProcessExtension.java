package dev.quarry.api;

import dev.quarry.testing.TestWorkers;
import dev.quarry.testing.WorkerProcess;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.util.Map;

/**
 * One worker process for a test class, as its users run it: started before the class's tests, awaited until its
 * JobRunr server polls before each test (a test may have restarted it), closed after the class. Register it as
 * a static field: {@code @RegisterExtension static final WorkerProcessExtension WORKER = new ...("slot")}.
 */
public final class WorkerProcessExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private final WorkerProcess worker;

    public WorkerProcessExtension(String slot) {
        this(slot, Map.of());
    }

    public WorkerProcessExtension(String slot, Map<String, String> overrides) {
        this.worker = TestWorkers.create(slot, overrides);
    }

    public WorkerProcess process() {
        return worker;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        worker.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestWorkers.awaitRunning(SpringExtension.getApplicationContext(context).getBean(JdbcTemplate.class), worker);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        worker.close();
    }
}

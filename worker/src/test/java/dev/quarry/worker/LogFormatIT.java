package dev.quarry.worker;

import dev.quarry.testing.LogFormatContract;

import java.util.Map;

/** The worker, JobRunr's server included, with each log format. */
class LogFormatIT extends LogFormatContract {

    @Override
    protected Class<?> application() {
        return WorkerApplication.class;
    }

    @Override
    protected String service() {
        return "quarry-worker";
    }

    @Override
    protected Map<String, String> properties() {
        // The dashboard's fixed port could clash with another worker on this machine.
        return Map.of("jobrunr.dashboard.enabled", "false");
    }
}

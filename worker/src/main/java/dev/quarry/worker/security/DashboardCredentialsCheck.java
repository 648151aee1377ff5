package dev.quarry.worker.security;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * JobRunr's dashboard (its own HTTP server, outside Spring Security) can requeue and delete any tenant's
 * jobs. JobRunr OSS protects it with HTTP Basic only when {@code jobrunr.dashboard.username} and
 * {@code password} are both set, and serves it to anyone otherwise; so a worker whose dashboard is on
 * refuses to start without them.
 */
@Component
class DashboardCredentialsCheck implements InitializingBean {
    private final boolean enabled;
    private final String username;
    private final String password;

    DashboardCredentialsCheck(@Value("${jobrunr.dashboard.enabled:false}") boolean enabled,
                              @Value("${jobrunr.dashboard.username:}") String username,
                              @Value("${jobrunr.dashboard.password:}") String password) {
        this.enabled = enabled;
        this.username = username;
        this.password = password;
    }

    @Override
    public void afterPropertiesSet() {
        if (enabled && (username.isBlank() || password.isBlank())) {
            throw new IllegalStateException("JobRunr's dashboard is on (jobrunr.dashboard.enabled) but "
                    + "QUARRY_WORKER_USER/QUARRY_WORKER_PASSWORD are not set: it would answer anyone. Set them, "
                    + "or turn the dashboard off");
        }
    }
}

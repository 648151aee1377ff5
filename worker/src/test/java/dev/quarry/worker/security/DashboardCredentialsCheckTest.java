package dev.quarry.worker.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardCredentialsCheckTest {

    @Test
    void a_dashboard_without_a_password_stops_the_worker() {
        assertThatThrownBy(() -> new DashboardCredentialsCheck(true, "operator", "").afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("QUARRY_WORKER_PASSWORD");
        assertThatThrownBy(() -> new DashboardCredentialsCheck(true, "", "secret").afterPropertiesSet())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_dashboard_with_credentials_or_no_dashboard_starts() {
        assertThatCode(() -> new DashboardCredentialsCheck(true, "operator", "secret").afterPropertiesSet())
                .doesNotThrowAnyException();
        assertThatCode(() -> new DashboardCredentialsCheck(false, "", "").afterPropertiesSet())
                .doesNotThrowAnyException();
    }
}

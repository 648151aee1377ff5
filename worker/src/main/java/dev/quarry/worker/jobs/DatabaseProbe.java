package dev.quarry.worker.jobs;

import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Whether PostgreSQL answers right now: a connection from the pool that passes a validity check. */
@Component
class DatabaseProbe {
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;
    private final DataSource dataSource;

    DatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    boolean answers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }
}

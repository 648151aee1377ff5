package dev.quarry.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The private servers that outage tests stop and start: they really go away, come back, and clean up. */
class PrivateServersIT {

    @Test
    void a_private_postgres_stops_and_starts_again_with_its_data_and_leaves_nothing_behind() throws Exception {
        PrivateServer postgres = PrivateServer.postgres();
        try (postgres) {
            execute(postgres, "create table survives (id int); insert into survives values (42)");

            postgres.stop();
            assertThatThrownBy(() -> execute(postgres, "select 1")).isInstanceOf(SQLException.class);

            postgres.startAgain();
            assertThat(execute(postgres, "select id from survives")).isEqualTo("42");
            assertThat(execute(postgres, "select 1 from pg_available_extensions where name = 'vector'")).isEqualTo("1");
        }
        assertThat(Sockets.accepts(postgres.port())).isFalse();
    }

    @Test
    void a_private_redis_stops_and_starts_again() {
        PrivateServer redis = PrivateServer.redis();
        try (redis) {
            assertThat(Sockets.accepts(redis.port())).isTrue();
            redis.stop();
            assertThat(Sockets.accepts(redis.port())).isFalse();
            redis.startAgain();
            assertThat(Sockets.accepts(redis.port())).isTrue();
        }
        assertThat(Sockets.accepts(redis.port())).isFalse();
    }

    /** Runs SQL as the application would; returns the first column of the last statement's first row. */
    private static String execute(PrivateServer postgres, String sql) throws SQLException {
        Map<String, String> p = postgres.springProperties();
        try (Connection connection = DriverManager.getConnection(p.get("spring.datasource.url"),
                p.get("spring.datasource.username"), p.get("spring.datasource.password"))) {
            String result = null;
            for (String statement : sql.split(";")) {
                var command = connection.createStatement();
                if (command.execute(statement)) {
                    try (ResultSet rs = command.getResultSet()) {
                        result = rs.next() ? rs.getString(1) : null;
                    }
                }
            }
            return result;
        }
    }
}

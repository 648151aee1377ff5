package dev.quarry.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The private servers that outage tests stop and start: they really go away, come back, and clean up. */
class PrivateServersIT {

    @Test
    void a_private_postgres_has_pgvector_stops_starts_again_and_leaves_nothing_behind() throws Exception {
        PrivatePostgres postgres = PrivatePostgres.start();
        try (postgres) {
            assertThat(vectorVersion(postgres)).isNotBlank();

            postgres.stop();
            assertThatThrownBy(() -> vectorVersion(postgres)).isInstanceOf(SQLException.class);

            postgres.startAgain();
            assertThat(vectorVersion(postgres)).isNotBlank();
        }
        assertThat(postgres.running()).isFalse();
        assertThat(listening(postgres.port())).isFalse();
    }

    @Test
    void a_private_redis_stops_and_starts_again() throws Exception {
        PrivateRedis redis = PrivateRedis.start();
        try (redis) {
            assertThat(listening(redis.port())).isTrue();
            redis.stop();
            assertThat(listening(redis.port())).isFalse();
            redis.startAgain();
            assertThat(listening(redis.port())).isTrue();
        }
        assertThat(listening(redis.port())).isFalse();
    }

    private static String vectorVersion(PrivatePostgres postgres) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), "quarry", "quarry");
             ResultSet rs = connection.createStatement()
                     .executeQuery("select extversion from pg_extension where extname = 'vector'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

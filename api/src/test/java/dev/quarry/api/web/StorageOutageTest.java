package dev.quarry.api.web;

import org.jobrunr.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class StorageOutageTest {

    @Test
    void a_lost_or_refused_connection_anywhere_in_the_cause_chain_is_an_outage() {
        assertThat(StorageOutage.causes(new StorageException(new SQLException("connection lost", "08006")))).isTrue();
        TransactionSystemException commit = new TransactionSystemException("Could not commit JDBC transaction");
        commit.initCause(new SQLException("terminating connection due to administrator command", "57P01"));
        assertThat(StorageOutage.causes(commit)).isTrue();
        assertThat(StorageOutage.causes(new IllegalStateException(new ConnectException("Connection refused")))).isTrue();
        assertThat(StorageOutage.causes(new CannotGetJdbcConnectionException("pool timed out"))).isTrue();
        assertThat(StorageOutage.causes(new SQLException("too many clients already", "53300"))).isTrue();
    }

    @Test
    void a_rollback_that_failed_on_the_dead_connection_is_judged_by_the_failure_that_started_it() {
        // What TransactionTemplate throws when PostgreSQL restarts mid-transaction (seen in DatabaseOutageIT).
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("query failed",
                new SQLException("terminating connection due to administrator command", "57P01")));
        assertThat(StorageOutage.causes(rollback)).isTrue();

        TransactionSystemException bug = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        bug.initApplicationException(new IllegalStateException("bug"));
        assertThat(StorageOutage.causes(bug)).isFalse();
    }

    @Test
    void a_commit_that_failed_in_jdbc_after_work_that_succeeded_is_an_outage() {
        // What an upload met when PostgreSQL shut down between its last statement and its commit (DatabaseOutageIT):
        // it answered 500 before.
        assertThat(StorageOutage.causes(new TransactionSystemException("JDBC commit failed",
                new SQLException("Connection is closed")))).isTrue();
        assertThat(StorageOutage.causes(new TransactionSystemException("no JDBC cause"))).isFalse();
    }

    @Test
    void bugs_and_bad_data_are_not_an_outage() {
        assertThat(StorageOutage.causes(new IllegalStateException("bug"))).isFalse();
        assertThat(StorageOutage.causes(new DataIntegrityViolationException("dup",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(StorageOutage.causes(new StorageException(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(StorageOutage.causes(null)).isFalse();
    }
}

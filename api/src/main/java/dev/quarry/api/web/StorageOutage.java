package dev.quarry.api.web;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether a failure means that PostgreSQL (or Redis, where a request needs it) cannot be reached right now,
 * so the client should come back later (503) rather than report a bug (500). Looks through the whole cause
 * chain: a lost connection reaches the API wrapped in whatever was calling, e.g. a JobRunr StorageException,
 * a rollback that failed on the dead connection (TransactionSystemException, whose application exception
 * is the real failure) or an untranslated SQLException.
 */
final class StorageOutage {
    private StorageOutage() {
    }

    static boolean causes(Throwable failure) {
        return causes(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean causes(Throwable e, Set<Throwable> seen) {
        if (e == null || !seen.add(e)) return false;
        if (e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessException
                || e instanceof CannotCreateTransactionException || e instanceof RedisConnectionFailureException
                || e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof ConnectException) {
            return true;
        }
        if (e instanceof SQLException sql && unavailable(sql.getSQLState())) return true;
        // A rollback that failed on the dead connection hides the failure that started it.
        if (e instanceof TransactionSystemException tx && causes(tx.getApplicationException(), seen)) return true;
        // A commit that failed in JDBC with nothing failing before it (no application exception): the database
        // did not confirm the transaction, e.g. "Connection is closed" after a server shutdown mid-request. The
        // client may retry, with its Idempotency-Key, whatever the database kept (seen in DatabaseOutageIT).
        if (e instanceof TransactionSystemException tx && tx.getApplicationException() == null
                && tx.getCause() instanceof SQLException) {
            return true;
        }
        for (Throwable suppressed : e.getSuppressed()) {
            if (causes(suppressed, seen)) return true;
        }
        return causes(e.getCause(), seen);
    }

    /**
     * SQLSTATE classes of an unreachable or restarting server: 08 connection exception, 57P01-57P03
     * admin/crash shutdown and cannot connect now, 53300 too many connections.
     */
    private static boolean unavailable(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300"));
    }
}

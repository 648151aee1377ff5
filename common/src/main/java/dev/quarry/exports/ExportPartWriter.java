package dev.quarry.exports;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A stream that stores what is written to it as the {@code export_parts} of one export, {@code partSize} bytes
 * each. The digest and the inserts run on a thread of their own, a few parts behind the exporter, so that
 * reading rows and encoding the file overlap with storing it (inserting 1 MiB parts runs at roughly 200-300
 * MB/s here, a large share of a JSON export that is written at about 66 MB/s). At most {@link #QUEUED} parts
 * wait in memory. The parts commit with {@code synchronous_commit} off: none of them counts before
 * {@link Exports#complete} commits, and that synchronous commit flushes the log up to and including every part
 * before it, so a crash can only lose parts of an export that is not complete, which the next attempt rewrites.
 * Always close it (its thread waits for the end): close stores the last part and waits for the rest; a failure
 * of the storing thread is thrown by the next write or by close.
 */
public final class ExportPartWriter extends OutputStream {
    static final int QUEUED = 3;
    private static final byte[] END = new byte[0];
    private final UUID exportId;
    private final DataSource dataSource;
    private final BlockingQueue<byte[]> parts = new ArrayBlockingQueue<>(QUEUED);
    private final Thread storing;
    private byte[] part;
    private int filled;
    private volatile Exception failure;
    private boolean closed;
    private long size;
    private String sha256;

    ExportPartWriter(UUID exportId, int partSize, DataSource dataSource) {
        this.exportId = exportId;
        this.dataSource = dataSource;
        this.part = new byte[partSize];
        this.storing = new Thread(this::storeUntilEnd, "export-parts-" + exportId);
        this.storing.setDaemon(true);
        this.storing.start();
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == part.length) handOver(part.length);
        part[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == part.length) handOver(part.length);
            int n = Math.min(length, part.length - filled);
            System.arraycopy(bytes, offset, part, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            // An empty file is still one (empty) part, so that a reader finds part 0.
            if (filled > 0 || size == 0) handOver(filled);
        } finally {
            enqueue(END); // also after a failure: the storing thread drains until it sees the end
            try {
                storing.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while export " + exportId + " was being stored");
            }
        }
        throwIfFailed();
    }

    /** The file's size and digest; only once closed. */
    public PgExportFiles.Written written() {
        if (!closed || sha256 == null) throw new IllegalStateException("close the writer first");
        return new PgExportFiles.Written(size, sha256);
    }

    private void handOver(int length) throws IOException {
        throwIfFailed();
        byte[] full = length == part.length ? part : Arrays.copyOf(part, length);
        enqueue(full);
        size += length;
        part = new byte[part.length]; // the queued array now belongs to the storing thread
        filled = 0;
    }

    private void enqueue(byte[] bytes) throws IOException {
        try {
            parts.put(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while export " + exportId + " was being written");
        }
    }

    private void throwIfFailed() throws IOException {
        Exception e = failure;
        if (e != null) throw new IOException("storing export " + exportId + " failed: " + e.getMessage(), e);
    }

    private void storeUntilEnd() {
        MessageDigest digest = sha256();
        int partNo = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (Statement session = connection.createStatement()) {
                session.execute("set synchronous_commit = off");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into export_parts (export_id, part_no, bytes) values (?, ?, ?)")) {
                for (byte[] bytes = parts.take(); bytes != END; bytes = parts.take()) {
                    digest.update(bytes);
                    insert.setObject(1, exportId);
                    insert.setInt(2, partNo++);
                    insert.setBytes(3, bytes);
                    insert.executeUpdate();
                }
            } finally {
                try (Statement session = connection.createStatement()) {
                    session.execute("reset synchronous_commit"); // the connection goes back to the pool
                }
            }
            if (failure == null) sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (SQLException | RuntimeException e) {
            failure = e;
            drainUntilEnd();
        } catch (InterruptedException e) {
            failure = e;
        }
    }

    /** After a failure: keep taking parts until the exporter closes, so that it sees the failure, not a hang. */
    private void drainUntilEnd() {
        try {
            while (parts.take() != END) {
                // discarded: the export fails and its next attempt clears what was stored
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

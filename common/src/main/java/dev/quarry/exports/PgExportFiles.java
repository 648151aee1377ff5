package dev.quarry.exports;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Job result files in {@code export_parts}: an export's file, and an embedding batch's results
 * ({@code dev.quarry.embedding.batch}), each under its job's id. Written as a stream of fixed-size parts and read back from any byte
 * offset, so that every process can serve a file and none ever holds more than one part of it. Each part is
 * its own statement (no transaction spans a file; {@link ExportPartWriter} writes them): a writer that dies
 * leaves parts that the next attempt {@link #clear clears}, and an export is only downloadable once
 * {@link Exports#complete} has described it.
 */
@Repository
public class PgExportFiles {
    private final JdbcClient jdbc;
    private final DataSource dataSource;

    PgExportFiles(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** What was written: the size and SHA-256 (hex) of the whole file. */
    public record Written(long size, String sha256) {
    }

    /** Removes whatever an earlier attempt wrote of the export's file. */
    public void clear(UUID exportId) {
        jdbc.sql("delete from export_parts where export_id = ?").param(exportId).update();
    }

    /** Deletes the files of these jobs (expired or erased); their owners keep the rows that describe them. */
    public void delete(UUID... jobIds) {
        jdbc.sql("delete from export_parts where export_id = any(cast(? as uuid[]))").param(jobIds).update();
    }

    /** A stream that stores what is written to it as parts of {@code partSize} bytes; close it to store the last. */
    public ExportPartWriter writer(UUID exportId, int partSize) {
        return new ExportPartWriter(exportId, partSize, dataSource);
    }

    /** {@code length} bytes of the file from {@code offset}, read one part at a time as they are consumed. */
    public InputStream reader(UUID exportId, int partSize, long offset, long length) {
        return new PartReader(exportId, partSize, offset, length);
    }

    private final class PartReader extends InputStream {
        private final UUID exportId;
        private final int partSize;
        private long position;
        private long remaining;
        private byte[] current = new byte[0];
        private int index;

        private PartReader(UUID exportId, int partSize, long offset, long length) {
            this.exportId = exportId;
            this.partSize = partSize;
            this.position = offset;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (remaining == 0) return -1;
            if (index == current.length && !fetch()) return -1;
            int n = (int) Math.min(Math.min(length, current.length - index), remaining);
            System.arraycopy(current, index, into, offset, n);
            index += n;
            position += n;
            remaining -= n;
            return n;
        }

        /** The rest of the part holding {@code position}, at most {@code remaining} bytes of it. */
        private boolean fetch() throws IOException {
            int partNo = (int) (position / partSize);
            int from = (int) (position % partSize);
            int count = (int) Math.min(partSize - from, remaining);
            current = jdbc.sql("""
                            select substring(bytes from ? for ?) from export_parts where export_id = ? and part_no = ?""")
                    .params(from + 1, count, exportId, partNo).query(byte[].class).optional().orElse(null);
            index = 0;
            if (current == null || current.length == 0) {
                current = new byte[0];
                throw new IOException("export " + exportId + " has no part " + partNo + " (deleted meanwhile?)");
            }
            return true;
        }
    }
}

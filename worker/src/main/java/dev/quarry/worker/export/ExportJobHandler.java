package dev.quarry.worker.export;

import dev.quarry.exports.Export;
import dev.quarry.exports.ExportPartWriter;
import dev.quarry.exports.Exports;
import dev.quarry.exports.PgExportFiles;
import dev.quarry.exports.PgExportScopes;
import dev.quarry.jobs.ExportHandler;
import dev.quarry.jobs.ExportJob;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;

/**
 * Writes one export file: streams the scope's documents ({@link PgExportDocuments}), or the requester's
 * conversations ({@link PgExportConversations}), through the format's
 * {@link Exporter} into {@code export_parts} ({@link PgExportFiles}), reporting progress (documents written
 * of documents in scope) at most every {@link ExportProgress#INTERVAL}, and checking for a cancel request as
 * often. One transaction then describes the file and marks the job SUCCEEDED, so a file is downloadable
 * exactly when its job succeeded. A failure is thrown to JobRunr: Quarry's retry policy runs the export again
 * on the {@code export} schedule (from an empty file) and dead-letters it when the retries run out. A
 * cancelled export deletes what it wrote.
 */
@Component
class ExportJobHandler implements ExportHandler {
    private static final Logger log = LoggerFactory.getLogger(ExportJobHandler.class);
    private final Exports exports;
    private final PgExportFiles files;
    private final PgExportScopes scopes;
    private final PgExportDocuments documents;
    private final PgExportConversations conversations;
    private final Exporters exporters;
    private final JobLifecycle lifecycle;
    private final TransactionTemplate tx;

    ExportJobHandler(Exports exports, PgExportFiles files, PgExportScopes scopes, PgExportDocuments documents,
                     PgExportConversations conversations, Exporters exporters, JobLifecycle lifecycle,
                     TransactionTemplate tx) {
        this.exports = exports;
        this.files = files;
        this.scopes = scopes;
        this.documents = documents;
        this.conversations = conversations;
        this.exporters = exporters;
        this.lifecycle = lifecycle;
        this.tx = tx;
    }

    @Override
    public void run(ExportJob job) throws IOException, SQLException {
        Export export = exports.find(job.tenantId(), job.jobId()).orElse(null);
        if (export == null) {
            log.warn("export job {} has no export row; nothing to write", job.jobId());
            return;
        }
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("export {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        try {
            write(export);
        } catch (ExportCancelledException e) {
            files.clear(export.id());
            lifecycle.cancel(export.id(), export.tenantId(), JobEventData.Cancelled.because("cancel requested"));
        } catch (IOException | SQLException | RuntimeException e) {
            log.warn("export {} failed, retried on Quarry's schedule: {}", export.id(), e.toString());
            throw e;
        }
    }

    private void write(Export export) throws IOException, SQLException {
        files.clear(export.id()); // what an earlier attempt left
        Exporter exporter = exporters.of(export.format());
        int total = scopes.count(export.tenantId(), export.requestedBy(), export.scope());
        ExportProgress progress = new ExportProgress(export, total, lifecycle);
        ExportPartWriter file = files.writer(export.id(), export.partSize());
        int written;
        try (BufferedOutputStream out = new BufferedOutputStream(file, 1 << 16)) {
            written = export.scope().ofConversations()
                    ? writeConversations(export, exporter, out, progress)
                    : writeDocuments(export, exporter, out, progress);
        }
        PgExportFiles.Written result = file.written();
        String filename = "export-" + export.id() + "." + export.format().extension();
        int documentCount = written;
        tx.executeWithoutResult(status -> {
            exports.complete(export.id(), filename, result, documentCount);
            lifecycle.progress(export.id(), export.tenantId(), progress.finalEvent(documentCount));
            lifecycle.succeed(export.id(), export.tenantId(), JobEventData.Succeeded.exported(documentCount));
        });
        log.info("export {} wrote {} {}, {} bytes", export.id(), documentCount,
                export.scope().ofConversations() ? "conversations" : "documents", result.size());
    }

    private int writeDocuments(Export export, Exporter exporter, OutputStream out, ExportProgress progress)
            throws IOException, SQLException {
        Exporter.Writer writer = exporter.open(out, new ExportContext(export));
        int written = documents.stream(export.tenantId(), export.scope(), exporter.needsContent(),
                export.includeVectors(), document -> {
                    writer.write(document);
                    progress.documentWritten();
                });
        writer.close();
        return written;
    }

    /** The requester's threads: progress and cancel checks count threads as they count documents. */
    private int writeConversations(Export export, Exporter exporter, OutputStream out, ExportProgress progress)
            throws IOException, SQLException {
        Exporter.ConversationWriter writer = exporter.openConversations(out, new ExportContext(export));
        int written = conversations.stream(export.tenantId(), export.requestedBy(), export.scope(),
                new Exporter.ConversationWriter() {
                    @Override
                    public void thread(ExportedConversation thread) throws IOException {
                        progress.documentWritten(); // a thread begun counts: its messages follow at once
                        writer.thread(thread);
                    }

                    @Override
                    public void message(ExportedConversation.Message message) throws IOException {
                        writer.message(message);
                    }

                    @Override
                    public void close() {
                    }
                });
        writer.close();
        return written;
    }
}

package dev.quarry.api.exports;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.exports.Export;
import dev.quarry.exports.ExportScope;
import dev.quarry.jobs.Job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An export's status: its job's status and progress, and once complete the file's description and where to
 * download it ({@code file}, absent while it is not downloadable). A bulk export's parent lists its children.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ExportView(UUID exportId, UUID jobId, String status, String format, ExportScope scope, Boolean includeVectors,
                  Progress progress, Integer documents, String filename, Long sizeBytes, String sha256, String file,
                  Boolean expired, Instant createdAt, Instant completedAt, Instant expiresAt, String error,
                  List<ExportView> exports) {

    record Progress(int done, int total, int percent) {
    }

    static ExportView of(Export export, Job job, boolean expired) {
        boolean downloadable = export.complete() && !expired;
        return new ExportView(export.id(), job.id(), job.status().name(), export.format().name().toLowerCase(),
                export.scope(), export.includeVectors(), progress(job), export.documents(), export.filename(),
                export.sizeBytes(), export.sha256(), downloadable ? ExportIntake.PATH + "/" + export.id() + "/file" : null,
                export.complete() ? expired : null, export.createdAt(), export.completedAt(), export.expiresAt(),
                job.error(), null);
    }

    static ExportView bulk(Job parent, List<ExportView> children) {
        return new ExportView(parent.id(), parent.id(), parent.status().name(), null, null, null, progress(parent),
                null, null, null, null, null, null, parent.createdAt(), parent.finishedAt(), null, parent.error(),
                children);
    }

    private static Progress progress(Job job) {
        return new Progress(job.progressDone(), job.progressTotal(), job.percent());
    }
}

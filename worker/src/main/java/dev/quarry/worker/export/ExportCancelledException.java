package dev.quarry.worker.export;

/** Thrown out of the document stream when the export's cancellation was requested: the file is abandoned. */
final class ExportCancelledException extends RuntimeException {
    ExportCancelledException() {
        super("export cancelled", null, false, false);
    }
}

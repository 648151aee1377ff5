package dev.quarry.worker.ingest;

/** A Tika failure wraps the handler's own exception in SAX and Tika exceptions: the bounds look down the chain. */
final class Causes {
    private Causes() {
    }

    static boolean chainHas(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}

package dev.quarry.api.admin;

/** Optional filters of the dead-letter list and of a bulk requeue; null matches everything. */
record DeadLetterFilter(String type, String tenant, String errorClass) {

    static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);

    /** This filter narrowed to what {@code caller} may see: its tenant becomes the scope's. */
    DeadLetterFilter scopedTo(TenantScope scope) {
        return new DeadLetterFilter(type, scope.tenant(), errorClass);
    }
}

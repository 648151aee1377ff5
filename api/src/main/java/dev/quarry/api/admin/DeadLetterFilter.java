package dev.quarry.api.admin;

/** Optional filters of the dead-letter list and of a bulk requeue; null matches everything. */
record DeadLetterFilter(String type, String tenant, String errorClass) {

    static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);
}

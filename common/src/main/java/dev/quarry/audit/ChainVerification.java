package dev.quarry.audit;

/**
 * The result of walking the hash chain. When it is broken, {@code firstBrokenSeq} is the first entry that
 * does not verify and {@code reason} says how: {@code hash} (the entry's fields were changed), {@code link}
 * (it does not chain to the entry before it: one was removed or inserted), {@code gap} (a seq is missing) or
 * {@code head} (the newest entries were removed: the head no longer matches the last entry).
 */
public record ChainVerification(boolean intact, long checked, Long firstBrokenSeq, String reason) {

    static ChainVerification intact(long checked) {
        return new ChainVerification(true, checked, null, null);
    }

    static ChainVerification broken(long checked, long seq, String reason) {
        return new ChainVerification(false, checked, seq, reason);
    }
}

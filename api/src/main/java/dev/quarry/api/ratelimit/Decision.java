package dev.quarry.api.ratelimit;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The answer of every bucket a request drew from; it is admitted only if all of them had the tokens. */
record Decision(List<BucketState> states, boolean shared) {

    boolean admitted() {
        return states.stream().allMatch(BucketState::consumed);
    }

    /** The bucket that refused and keeps the client waiting longest. */
    Optional<BucketState> refusal() {
        return states.stream().filter(state -> !state.consumed())
                .max(Comparator.comparingLong(BucketState::nanosToRefill));
    }
}

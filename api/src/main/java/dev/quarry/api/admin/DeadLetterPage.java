package dev.quarry.api.admin;

import java.util.List;

/** One page of open dead letters, newest first; {@code nextCursor} is null on the last page. */
record DeadLetterPage(List<DeadLetter> items, String nextCursor) {
}

package dev.quarry.api.documents;

import java.util.List;

/** One page of documents, newest first; {@code nextCursor} is null on the last page. */
record DocumentPage(List<DocumentView> items, String nextCursor) {
}

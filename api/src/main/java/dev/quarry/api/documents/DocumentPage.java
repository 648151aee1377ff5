package dev.quarry.api.documents;

import dev.quarry.api.web.PageCursor;
import dev.quarry.documents.DocumentView;

import java.util.List;

/** One page of documents, newest first; {@code nextCursor} is null on the last page. */
record DocumentPage(List<DocumentView> items, String nextCursor) {

    /** The page of {@code size} from {@code rows}, which holds one row more when there is a next page. */
    static DocumentPage of(List<DocumentView> rows, int size) {
        if (rows.size() <= size) return new DocumentPage(rows, null);
        List<DocumentView> page = rows.subList(0, size);
        DocumentView last = page.get(size - 1);
        return new DocumentPage(List.copyOf(page), new PageCursor(last.createdAt(), last.id()).encode());
    }
}

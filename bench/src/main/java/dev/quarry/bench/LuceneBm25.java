package dev.quarry.bench;

import dev.quarry.testing.RetrievalCollection;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The peer for keyword retrieval: Lucene with EnglishAnalyzer and default BM25, in memory. */
final class LuceneBm25 implements AutoCloseable {
    private final EnglishAnalyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    LuceneBm25(List<RetrievalCollection.Doc> docs) throws IOException {
        try (var writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity()))) {
            for (RetrievalCollection.Doc d : docs) {
                Document doc = new Document();
                doc.add(new StoredField("id", d.id()));
                doc.add(new TextField("text", d.text(), Field.Store.NO));
                writer.addDocument(doc);
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
        searcher.setSimilarity(new BM25Similarity());
    }

    List<Integer> search(String query, int k) throws Exception {
        var parsed = new QueryParser("text", analyzer).parse(QueryParser.escape(query));
        List<Integer> ids = new ArrayList<>();
        for (ScoreDoc hit : searcher.search(parsed, k).scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).getField("id").numericValue().intValue());
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}

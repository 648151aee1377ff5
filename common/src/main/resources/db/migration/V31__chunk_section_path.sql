-- Where a chunk sits in its document: the path of headings above it ("Guide > Install > Linux"), for formats
-- with headings (Markdown, HTML, DOCX, ODT, EPUB). Null for chunks of documents without headings and for
-- chunks stored before this column existed (a re-ingest fills it in). Adding a nullable column without a
-- default rewrites nothing.
alter table chunks add column section_path text;

package dev.quarry.chunks;

/** A stored chunk without its vector: what another embedding version can be computed from. */
public record StoredChunk(int ordinal, String text, int tokenCount, String sectionPath) {
}

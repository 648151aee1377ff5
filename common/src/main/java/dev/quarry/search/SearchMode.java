package dev.quarry.search;

/** Which legs a search runs. Hybrid fuses both by weighted reciprocal rank. */
public enum SearchMode {
    HYBRID, KEYWORD, VECTOR;

    boolean usesKeyword() {
        return this != VECTOR;
    }

    boolean usesVector() {
        return this != KEYWORD;
    }
}

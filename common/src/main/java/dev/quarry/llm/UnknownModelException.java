package dev.quarry.llm;

/** A provider or model name that is neither installed nor registered. */
public class UnknownModelException extends RuntimeException {
    public UnknownModelException(String provider, String model) {
        super("unknown model " + provider + "/" + model);
    }
}

package dev.quarry.testing;

/** The fake that unit tests embed with behaves like the real adapters. */
class FakeEmbeddingModelContractTest extends RemoteEmbeddingModelContract {
    private static final FakeEmbeddingModel MODEL = new FakeEmbeddingModel(384);

    FakeEmbeddingModelContractTest() {
        super(MODEL, 384);
    }

    @Override
    protected Failure failure() {
        MODEL.failNextCallWith(new IllegalStateException("scripted"));
        return new Failure(() -> MODEL.embed("wing flutter"), IllegalStateException.class);
    }
}

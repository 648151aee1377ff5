package dev.quarry.api;

import dev.quarry.testing.LogFormatContract;
import dev.quarry.testing.TestTokens;

import java.util.Map;

/** The API with each log format (it used to stop at startup on both documented ones). */
class LogFormatIT extends LogFormatContract {

    @Override
    protected Class<?> application() {
        return ApiApplication.class;
    }

    @Override
    protected String service() {
        return "quarry-api";
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of("QUARRY_JWT_SECRET", TestTokens.SECRET);
    }
}

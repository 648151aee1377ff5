package dev.quarry.api.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtPropertiesTest {

    @Test
    void a_missing_or_short_secret_stops_the_api_at_startup() {
        SecurityConfiguration security = new SecurityConfiguration();

        assertThatThrownBy(() -> security.jwtDecoder(new JwtProperties(null, null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("QUARRY_JWT_SECRET");
        assertThatThrownBy(() -> security.jwtDecoder(new JwtProperties("  ", null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not set");
        assertThatThrownBy(() -> security.jwtDecoder(new JwtProperties("x".repeat(31), null, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void a_short_previous_secret_stops_the_api_and_a_jwks_url_makes_the_secret_optional() {
        SecurityConfiguration security = new SecurityConfiguration();

        assertThatThrownBy(() -> security.jwtDecoder(new JwtProperties("x".repeat(32), "y".repeat(31), null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("QUARRY_JWT_PREVIOUS_SECRET");
        assertThat(security.jwtDecoder(new JwtProperties(null, null, "http://localhost:1/jwks"))).isNotNull();
    }

    @Test
    void a_32_byte_secret_is_enough() {
        assertThat(new SecurityConfiguration().jwtDecoder(new JwtProperties("x".repeat(32), null, null))).isNotNull();
    }
}

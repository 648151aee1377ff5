package dev.quarry.api.web;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.text.ParseException;
import java.util.List;

/**
 * Verifies a token with the key its algorithm calls for: an HS256 token with the current secret, then the
 * previous one (a rotation keeps both valid), an RS256/ES256 token with the identity provider's JWKS. The
 * algorithm is read from the header only to choose; each decoder still checks it, so no token can pick a
 * weaker way of being verified.
 */
class KeyRotatingJwtDecoder implements JwtDecoder {
    private final List<JwtDecoder> secrets;
    private final JwtDecoder jwks;

    /** @param secrets the HS256 decoders, current first; @param jwks the JWKS decoder, or null */
    KeyRotatingJwtDecoder(List<JwtDecoder> secrets, JwtDecoder jwks) {
        this.secrets = List.copyOf(secrets);
        this.jwks = jwks;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        JWSAlgorithm algorithm = algorithm(token);
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) return decodeWithSecrets(token);
        if (jwks != null) return jwks.decode(token);
        throw new BadJwtException("tokens signed with " + algorithm + " are not accepted");
    }

    private Jwt decodeWithSecrets(String token) {
        if (secrets.isEmpty()) throw new BadJwtException("HS256 tokens are not accepted (no QUARRY_JWT_SECRET)");
        BadJwtException first = null;
        for (JwtDecoder decoder : secrets) {
            try {
                return decoder.decode(token);
            } catch (JwtValidationException e) {
                throw e; // the signature was good, the claims are not: another key would not change that
            } catch (BadJwtException e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    private static JWSAlgorithm algorithm(String token) {
        try {
            if (JWTParser.parse(token).getHeader().getAlgorithm() instanceof JWSAlgorithm jws) return jws;
        } catch (ParseException e) {
            throw new BadJwtException("malformed token", e);
        }
        throw new BadJwtException("the token is not signed");
    }
}

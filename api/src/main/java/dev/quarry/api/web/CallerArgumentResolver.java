package dev.quarry.api.web;

import org.slf4j.MDC;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Resolves {@link Caller} parameters from the authenticated JWT. */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (!(auth instanceof JwtAuthenticationToken token)) {
            // Unreachable behind the security chain; a programming error if it happens.
            throw new IllegalStateException("no JWT authentication for a Caller parameter");
        }
        Caller caller = fromJwt(token.getToken());
        // The request's log lines name their tenant (TraceContextFilter clears it when the request ends).
        if (caller.tenant() != null) MDC.put("tenant", caller.tenant());
        return caller;
    }

    static Caller fromJwt(Jwt jwt) {
        return new Caller(jwt.getSubject(), jwt.getClaimAsString(JwtClaims.TENANT), roles(jwt));
    }

    static Set<String> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(JwtClaims.ROLES);
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof List<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role).toLowerCase(Locale.ROOT)));
        } else if (claim instanceof String single && !single.isBlank()) {
            roles.add(single.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(roles);
    }
}

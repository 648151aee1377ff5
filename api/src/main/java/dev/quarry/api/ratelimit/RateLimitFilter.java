package dev.quarry.api.ratelimit;

import dev.quarry.api.web.JwtClaims;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.api.web.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Every authenticated request under {@code /api/} draws its cost from three buckets: its user's and its
 * tenant's (sized by the token's tier) and its client address's. It runs after authentication, to know the
 * caller, and before anything reads the body, so a refused upload costs no parsing. Admitted and refused
 * responses alike carry the RateLimit headers; a refusal is a 429 problem with Retry-After.
 */
class RateLimitFilter extends OncePerRequestFilter {
    /** The JWT claim naming the caller's subscription tier (set by whoever issues tokens). */
    static final String TIER_CLAIM = "tier";
    private final TokenBuckets buckets;
    private final PgRateLimitTiers tiers;
    private final EndpointCosts costs;
    private final RateLimitProperties properties;
    private final Problems problems;
    private final MeterRegistry meters;

    RateLimitFilter(TokenBuckets buckets, PgRateLimitTiers tiers, RateLimitProperties properties, Problems problems,
                    MeterRegistry meters) {
        this.buckets = buckets;
        this.tiers = tiers;
        this.costs = new EndpointCosts(properties.costs());
        this.properties = properties;
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response); // the security chain answers for anonymous requests
            return;
        }
        Decision decision = buckets.consume(specs(token.getToken(), request.getRemoteAddr()),
                costs.of(request.getMethod(), request.getRequestURI()));
        RateLimitHeaders.write(decision, properties.window(), response);
        if (decision.admitted()) {
            chain.doFilter(request, response);
            return;
        }
        BucketState refusal = decision.refusal().orElseThrow();
        Counter.builder("quarry.ratelimit.rejected").tag("scope", refusal.spec().scope())
                .description("Requests refused with 429 by a rate limit").register(meters).increment();
        long retryAfter = Math.max(1, RateLimitHeaders.seconds(refusal.nanosToRefill()));
        ProblemDetail problem = problems.detail(ProblemKind.RATE_LIMITED, "the " + refusal.spec().scope()
                + " limit of " + refusal.spec().capacity() + " per " + properties.window().toSeconds()
                + " s is used up; retry in " + retryAfter + " s", request);
        problem.setProperty("limit", refusal.spec().scope());
        problem.setProperty("quota", refusal.spec().capacity());
        problem.setProperty("windowSeconds", properties.window().toSeconds());
        problem.setProperty("retryAfterSeconds", retryAfter);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problems.write(problem, response);
    }

    private List<BucketSpec> specs(Jwt jwt, String address) {
        Tier tier = tiers.of(jwt.getClaimAsString(TIER_CLAIM));
        String tenant = jwt.getClaimAsString(JwtClaims.TENANT);
        return List.of(
                new BucketSpec("user", RateLimitKeys.user(tier.name(), tenant, jwt.getSubject()), tier.limits().user(),
                        tier.version()),
                new BucketSpec("tenant", RateLimitKeys.tenant(tier.name(), tenant), tier.limits().tenant(),
                        tier.version()),
                new BucketSpec("ip", RateLimitKeys.ip(address), properties.ipPerWindow(), 0));
    }
}

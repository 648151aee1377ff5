package dev.quarry.api.ratelimit;

import dev.quarry.api.ratelimit.RateLimitProperties.EndpointCost;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.List;

/**
 * What a request costs in tokens: the first of {@code quarry.rate-limit.costs} whose method and path
 * pattern match, else 1. Work that is expensive for Quarry (an upload, a search) costs more than a read.
 */
class EndpointCosts {
    private record Rule(String method, PathPattern path, long cost) {
    }

    private final List<Rule> rules;

    EndpointCosts(List<EndpointCost> costs) {
        this.rules = costs.stream()
                .map(cost -> new Rule(cost.method(), PathPatternParser.defaultInstance.parse(cost.path()), cost.cost()))
                .toList();
    }

    long of(String method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        for (Rule rule : rules) {
            if ((rule.method().equals("*") || rule.method().equalsIgnoreCase(method)) && rule.path().matches(container)) {
                return rule.cost();
            }
        }
        return 1;
    }
}

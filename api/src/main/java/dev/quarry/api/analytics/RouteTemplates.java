package dev.quarry.api.analytics;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The route template of a request ({@code /api/v1/documents/{id}}), which analytics groups by; never the raw path,
 * whose ids would make every request its own endpoint and would store ids. A request that reached a controller
 * carries the template Spring matched. One turned away before (401, 403 or 429 from the filters) is matched here,
 * only then, against the same mappings; a path no endpoint has is {@value #UNMATCHED}.
 */
class RouteTemplates {
    static final String UNMATCHED = "(unmatched)";
    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    /** The mappings are looked up at the first refused request: the filters are built before Spring MVC is. */
    RouteTemplates(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    String of(HttpServletRequest request) {
        if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
            return pattern;
        }
        try {
            if (!ServletRequestPathUtils.hasParsedRequestPath(request)) ServletRequestPathUtils.parseAndCache(request);
            if (mappings.getObject().getHandler(request) != null
                    && request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
                return pattern;
            }
        } catch (Exception e) {
            // No endpoint takes this method, media type or path: the answer was an error, and the route unknown.
        }
        return UNMATCHED;
    }
}

package dev.quarry.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** OpenAPI at /v3/api-docs and Swagger UI at /swagger-ui.html, with the bearer scheme declared. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    static final String BEARER = "bearer";

    static {
        // Caller comes from the token, not from the request: keep it out of the documented parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI quarryOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Quarry API").version("v1")
                        .description("Durable document ingestion and hybrid retrieval. Errors are RFC 9457 "
                                + "problems whose type is urn:quarry:problem:<kind>."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("HS256 JWT with claims sub, tenant and roles; `bin/quarry token`")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}

package dev.quarry.api.search;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Per-collection search defaults (today: the time-decay half-life). Changing them changes every user's
 * ranking in the tenant, so only admins may; anyone in the tenant may read them.
 */
@RestController
class CollectionSettingsController {
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private final JdbcClient jdbc;

    CollectionSettingsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @param halfLife ISO-8601 duration; P0D turns decay off for the collection, null removes the default */
    record CollectionSettings(String collection, String halfLife) {
    }

    @Operation(summary = "The collection's search defaults")
    @GetMapping(path = "/api/v1/collections/{collection}/search-settings", produces = MediaType.APPLICATION_JSON_VALUE)
    CollectionSettings get(Caller caller, @PathVariable String collection) {
        validate(collection);
        Double seconds = jdbc.sql("""
                        select extract(epoch from half_life)::float8 from collection_settings
                        where tenant_id = :tenant and collection = :collection""")
                .param("tenant", caller.tenant()).param("collection", collection)
                .query(Double.class).optional().orElse(null);
        return new CollectionSettings(collection,
                seconds == null ? null : Duration.ofMillis(Math.round(seconds * 1000)).toString());
    }

    @Operation(summary = "Set the collection's search defaults (admin)")
    @PutMapping(path = "/api/v1/collections/{collection}/search-settings",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    CollectionSettings put(Caller caller, @PathVariable String collection, @RequestBody CollectionSettings body) {
        if (!caller.isAdmin()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "changing search defaults needs the admin role");
        }
        validate(collection);
        Duration halfLife = body == null ? null : SearchParameters.halfLife(body.halfLife());
        jdbc.sql("""
                        insert into collection_settings (tenant_id, collection, half_life, updated_at)
                        values (:tenant, :collection, cast(:seconds as float8) * interval '1 second', now())
                        on conflict (tenant_id, collection) do update
                            set half_life = excluded.half_life, updated_at = excluded.updated_at""")
                .param("tenant", caller.tenant()).param("collection", collection)
                .param("seconds", halfLife == null ? null : halfLife.toMillis() / 1000.0)
                .update();
        return get(caller, collection);
    }

    private static void validate(String collection) {
        if (!COLLECTION.matcher(collection).matches()) {
            throw new ApiProblem(ProblemKind.INVALID_PARAMETER,
                    "collection must be 1 to 100 letters, digits, '.', '_' or '-'");
        }
    }
}

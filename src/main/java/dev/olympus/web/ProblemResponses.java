package dev.olympus.web;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Documents the problem responses on every operation of the API, so that clients generated from
 * {@code /q/openapi} know the shape and the codes of each failure. Runs at build time: the document is then
 * ready-made at start-up instead of being filtered on every start.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    private static final Map<String, String> COMMON = new LinkedHashMap<>();

    static {
        COMMON.put("400", "validation-failed: invalid body or query parameter; `errors` lists {field, message}");
        COMMON.put("401", "unauthorized: missing, invalid or expired credential (with WWW-Authenticate: Bearer)");
        COMMON.put("403", "forbidden, agent-killed: the caller may never do this");
        COMMON.put("413", "payload-too-large: body over 256 KiB");
        COMMON.put("415", "unsupported-media-type: send application/json");
        COMMON.put("423", "system-frozen: writes are frozen by an operator");
        COMMON.put("429", "rate-limited, backlog-full: slow down; see Retry-After and RateLimit headers");
        COMMON.put("503", "unavailable: the database is unreachable; retry");
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details with a stable machine-readable code")
                .addProperty("type", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("title", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("code", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty("errors", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.ARRAY))));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().forEach((method, operation) -> addProblems(method, operation, path));
            }
        });
    }

    private static void addProblems(PathItem.HttpMethod method, Operation operation, String path) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        COMMON.forEach((status, description) -> addIfAbsent(operation, status, description));
        if (path.contains("{")) {
            addIfAbsent(operation, "404", "not-found: no such resource");
        }
        if (method != PathItem.HttpMethod.GET) {
            addIfAbsent(operation, "409", "a state conflict: invalid-transition, dependencies-unmet, duplicate-task, "
                    + "version-conflict handling, wip-limit, lease-lost, dependency-cycle, max-attempts, agent-exists, last-operator");
            addIfAbsent(operation, "422", "a business rule: block-reason-required, idempotency-key-reused");
        }
        if (method == PathItem.HttpMethod.PATCH || method == PathItem.HttpMethod.PUT) {
            addIfAbsent(operation, "412", "version-conflict: If-Match names a stale version");
        }
    }

    private static void addIfAbsent(Operation operation, String status, String description) {
        if (operation.getResponses().getAPIResponse(status) != null) {
            return;
        }
        operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse()
                .description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem")))));
    }
}

package dev.olympus.ratelimit;

import dev.olympus.idempotency.IdempotencyFilter;
import dev.olympus.web.Problem;
import dev.olympus.web.ProblemResponses;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.List;

/**
 * Documents the guard rails in {@code /q/openapi}: the RateLimit fields on every API response, Retry-After on
 * 429, and the {@code Idempotency-Key} header on every POST.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class GuardRailsOpenApi implements OASFilter {

    private static final String RATE_LIMIT = """
            The agent's current rate-limit state (draft-ietf-httpapi-ratelimit-headers), e.g. \
            `"default";r=599;t=42`: `r` requests remain, and the quota grows again in `t` seconds. POST /tasks \
            also reports the task-creation budget, e.g. `"task-create";r=59;t=60`.""";
    private static final String RATE_LIMIT_POLICY = """
            The quota policies that apply to the agent, e.g. `"default";q=600;w=60` (600 requests per 60 s, \
            per instance) and, on POST /tasks, `"task-create";q=60;w=60` (across all instances).""";
    private static final String RETRY_AFTER = "Seconds to wait before the request can succeed.";
    private static final String IDEMPOTENCY_KEY = """
            Makes the POST safe to retry: the same key from the same agent within 24 h gets the first answer \
            (status, body, Location, ETag; with `Idempotency-Replayed: true`) and performs nothing again; a \
            concurrent repetition waits for the first answer. The same key with a different method, path or body: \
            422 `idempotency-key-reused`. Up to 255 visible ASCII characters; use a fresh random value per \
            logical request.""";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // The generic problem responses first, so that they get the headers too. ProblemResponses only adds what is
        // absent, so its own later run (mp.openapi.filter runs after this filter) changes nothing.
        new ProblemResponses().filterOpenAPI(openAPI);
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addHeader("RateLimit", header(RATE_LIMIT))
                .addHeader("RateLimit-Policy", header(RATE_LIMIT_POLICY))
                .addHeader("Retry-After", OASFactory.createHeader().description(RETRY_AFTER)
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                item.getOperations().forEach((method, operation) -> document(method, operation));
            }
        });
    }

    private static void document(PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (operation.getResponses().getAPIResponse("429") == null) {
            operation.getResponses().addAPIResponse("429", OASFactory.createAPIResponse()
                    .description("rate-limited, backlog-full: slow down; see Retry-After and the RateLimit headers")
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref("Problem")))));
        }
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (!"401".equals(status)) {
                addHeader(response, "RateLimit");
                addHeader(response, "RateLimit-Policy");
            }
            if ("429".equals(status)) {
                addHeader(response, "Retry-After");
            }
        });
        if (method == PathItem.HttpMethod.POST) {
            APIResponse conflict = operation.getResponses().getAPIResponse("409");
            if (conflict != null && conflict.getDescription() != null
                    && !conflict.getDescription().contains("idempotency-key-in-flight")) {
                conflict.setDescription(conflict.getDescription() + ", idempotency-key-in-flight");
            }
            boolean present = operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> IdempotencyFilter.HEADER.equalsIgnoreCase(p.getName()));
            if (!present) {
                operation.addParameter(OASFactory.createParameter()
                        .name(IdempotencyFilter.HEADER)
                        .in(Parameter.In.HEADER)
                        .required(false)
                        .description(IDEMPOTENCY_KEY)
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).maxLength(255)));
            }
        }
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)));
    }

    private static void addHeader(APIResponse response, String name) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeader(name, OASFactory.createHeader().ref(name));
        }
    }
}

package dev.olympus.agent;

import dev.olympus.auth.AccessTokens;
import dev.olympus.auth.Authenticator;
import dev.olympus.auth.Caller;
import dev.olympus.auth.CurrentCaller;
import dev.olympus.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity")
public class TokenResource {

    private final CurrentCaller caller;
    private final Authenticator authenticator;
    private final AccessTokens tokens;
    private final AgentService agents;

    public TokenResource(CurrentCaller caller, Authenticator authenticator, AccessTokens tokens, AgentService agents) {
        this.caller = caller;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.agents = agents;
    }

    @POST
    @Path("token")
    @Operation(summary = "Exchange an API key for an access token (any role)", description = """
            Send `Authorization: Bearer olk_...` and no body. Answers a signed JWT (RS256) valid for `expiresIn` \
            seconds (900 by default), accepted wherever an API key is. Claims: `sub`/`upn` (agent name), `groups` \
            (role), `key_id`, `gen`, `iat`, `exp`, `jti`. The token dies with its key (revocation) and with its agent \
            (kill); tokens issued before a kill stay invalid after a revive. An access token cannot be exchanged \
            for another (403 `forbidden`). Works while the system is frozen.""")
    public Uni<RestResponse<AccessTokenResponse>> token() {
        Caller current = caller.get();
        if (current.viaAccessToken()) {
            throw ProblemException.forbidden("Exchange an API key (olk_...), not an access token.");
        }
        return authenticator.generation(current)
                .map(generation -> tokens.issue(current, generation))
                .chain(issued -> agents.get(current, current.name())
                        .map(agent -> new AccessTokenResponse(issued.token(), "Bearer", issued.expiresIn(), agent)))
                .map(body -> RestResponse.ResponseBuilder.ok(body).header("Cache-Control", "no-store").build());
    }
}

package dev.olympus.system;

import dev.olympus.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "System")
public class SystemResource {

    private final Freeze freeze;
    private final CurrentCaller caller;

    public SystemResource(Freeze freeze, CurrentCaller caller) {
        this.freeze = freeze;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Is the system frozen? (any role)")
    public Uni<SystemState> get() {
        return freeze.current();
    }

    @POST
    @Path("freeze")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Freeze the system (operator)", description = """
            From the answer on, every write (POST, PUT, PATCH, DELETE) by a non-operator gets 423 `system-frozen` on \
            every instance (within 1 s), until unfrozen. Reads, heartbeats (`POST /api/v1/agents/me/heartbeat`) and \
            token exchange keep working; operators keep writing. Freezing a frozen system changes nothing.""")
    public Uni<SystemState> freeze(@NotNull @Valid FreezeRequest request) {
        return freeze.freeze(caller.get(), request.reason());
    }

    @POST
    @Path("unfreeze")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Unfreeze the system (operator)", description = "No body. Unfreezing a thawed system changes nothing.")
    public Uni<SystemState> unfreeze() {
        return freeze.unfreeze(caller.get());
    }
}

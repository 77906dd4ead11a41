package dev.olympus.task;

import dev.olympus.web.Limits;
import dev.olympus.web.Page;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The labels in use: maps HTTP to {@link TaskLabels}. */
@Path("/api/v1/labels")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Tasks")
public class LabelResource {

    private final TaskLabels labels;

    public LabelResource(TaskLabels labels) {
        this.labels = labels;
    }

    @GET
    @Operation(summary = "List the labels in use (any role)", description = """
            Every label that at least one task carries, ordered by name, with `tasks` (how many tasks carry it) \
            and `openTasks` (how many of those are todo, in progress, in review or blocked). Cursor pagination.""")
    public Uni<Page<TaskLabels.LabelCount>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return labels.list(cursor, Limits.limit(limit));
    }
}

package dev.olympus.question;

import dev.olympus.web.NotBlankText;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Request bodies of the questions endpoints. */
public final class QuestionRequests {

    private QuestionRequests() {}

    public record Ask(
            @NotBlankText @Size(max = 4096) @Schema(required = true, minLength = 1, maxLength = 4096) String question,
            @Size(max = 10) @Schema(description = "Up to 10 choices the answer may pick from (1..200 characters each)")
            List<@NotBlankText @Size(max = 200) String> options,
            @Schema(description = "\"human\" (operators), \"orchestrator\" (default) or an agent's name") String to) {}

    public record Answer(
            @Size(max = 16384) @Schema(maxLength = 16384,
                    description = "The answer (1..16 KiB); may be left out when a choice is given") String answer,
            @Schema(description = "One of the question's options") String choice) {}
}

package dev.olympus.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ETagsTest {

    @Test
    void anETagIsTheQuotedVersion() {
        assertThat(ETags.of(7)).isEqualTo("\"7\"");
        assertThat(ETags.expectedVersion(ETags.of(7))).isEqualTo(7L);
    }

    @Test
    void noIfMatchOrAStarMeansLastWriterWins() {
        assertThat(ETags.expectedVersion(null)).isNull();
        assertThat(ETags.expectedVersion("  ")).isNull();
        assertThat(ETags.expectedVersion(" * ")).isNull();
    }

    @Test
    void weakAndUnquotedTagsAreAccepted() {
        assertThat(ETags.expectedVersion("W/\"3\"")).isEqualTo(3L);
        assertThat(ETags.expectedVersion(" 12 ")).isEqualTo(12L);
    }

    @Test
    void anythingElseIsA400NamingIfMatch() {
        assertThatThrownBy(() -> ETags.expectedVersion("\"abc\"")).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.code()).isEqualTo("validation-failed");
            assertThat(p.detail()).startsWith("If-Match: ");
        });
    }
}

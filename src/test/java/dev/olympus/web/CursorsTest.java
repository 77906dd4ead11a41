package dev.olympus.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorsTest {

    @Test
    void aCursorRoundTripsItsParts() {
        String cursor = Cursors.encode("3", "1042");
        assertThat(cursor).matches("[A-Za-z0-9_-]+").as("base64url without padding");
        assertThat(Cursors.decode(cursor, 2)).containsExactly("3", "1042");
        assertThat(Cursors.decodeLong("1042")).isEqualTo(1042L);
    }

    @Test
    void emptyPartsSurvive() {
        assertThat(Cursors.decode(Cursors.encode("", "x"), 2)).containsExactly("", "x");
    }

    @Test
    void anythingElseIsA400NamingTheCursor() {
        String unversioned = Base64.getUrlEncoder().encodeToString("3:1042".getBytes(StandardCharsets.UTF_8));
        for (String bad : new String[]{"not base64!", unversioned, Cursors.encode("1", "2", "3"), ""}) {
            assertThatThrownBy(() -> Cursors.decode(bad, 2)).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(400);
                assertThat(p.detail()).isEqualTo("cursor: not a cursor issued by this service");
            });
        }
        assertThatThrownBy(() -> Cursors.decodeLong("x")).isInstanceOf(ProblemException.class);
    }
}

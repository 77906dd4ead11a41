package dev.olympus.reliability;

import dev.olympus.testing.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized requests are refused from what arrives first, on raw sockets so that no client library trims or
 * retries anything: a header section over {@code quarkus.http.limits.max-header-size} (20K) gets 431, a request
 * line over {@code quarkus.http.limits.max-initial-line-length} (4096) 414, a declared body over 256 KiB 413
 * before the body is read; either way the server closes that connection rather than
 * wait for the rest, and keeps serving everyone else.
 */
@QuarkusTest
class OversizedRequestTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aHugeHeaderIs431AndTheServerKeepsServing() throws IOException {
        var worker = Api.agent("worker");
        String auth = "Authorization: Bearer " + worker.key() + "\r\n";

        // Within the limit (16 KiB of header): served.
        Answer fits = exchange("GET /api/v1/agents/me HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "X-Padding: " + "a".repeat(16 * 1024) + "\r\nConnection: close\r\n\r\n");
        assertThat(fits.status()).as(fits.statusLine()).isEqualTo(200);

        // 64 KiB in one header: refused, and the connection is closed rather than left waiting.
        Answer huge = exchange("GET /api/v1/agents/me HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "X-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n");
        assertThat(huge.status()).as(huge.statusLine()).isEqualTo(431);
        assertThat(huge.closed()).as("connection closed by the server").isTrue();

        // The same in many small headers.
        StringBuilder many = new StringBuilder("GET /api/v1/agents/me HTTP/1.1\r\nHost: localhost\r\n").append(auth);
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": ").append("b".repeat(30)).append("\r\n");
        }
        Answer headers = exchange(many.append("\r\n").toString());
        assertThat(headers.status()).as(headers.statusLine()).isEqualTo(431);
        assertThat(headers.closed()).isTrue();

        // A request line over 4096 bytes.
        Answer longLine = exchange("GET /api/v1/agents/me?q=" + "c".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n");
        assertThat(longLine.status()).as(longLine.statusLine()).isEqualTo(414);
        assertThat(longLine.closed()).isTrue();

        worker.request().get("/api/v1/agents/me").then().statusCode(200);
    }

    @Test
    void aHugeDeclaredBodyIs413BeforeItIsSentAndTheConnectionIsClosed() throws IOException {
        var orchestrator = Api.agent("orchestrator");
        // Only the head and the first bytes are sent: the answer must not wait for the other 2 MiB.
        Answer answer = exchange("POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + orchestrator.key() + "\r\nContent-Type: application/json\r\nContent-Length: " + (2 * 1024 * 1024)
                + "\r\n\r\n{\"title\":\"");
        assertThat(answer.status()).as(answer.statusLine()).isEqualTo(413);
        assertThat(answer.body()).contains("\"code\":\"payload-too-large\"");
        assertThat(answer.closed()).as("connection closed by the server").isTrue();

        orchestrator.request().body("{\"title\":\"after an oversized body\"}").post("/api/v1/tasks").then().statusCode(201);
    }

    /** What the server answered on one connection, and whether it closed that connection within 10 s. */
    record Answer(String statusLine, String body, boolean closed) {
        /** The status code of the status line ({@code HTTP/1.x 431 ...}; Vert.x answers 1.0 to a line it could not read). */
        int status() {
            String[] parts = statusLine.split(" ");
            return parts.length > 1 && parts[0].startsWith("HTTP/1.") ? Integer.parseInt(parts[1]) : -1;
        }
    }

    private Answer exchange(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before it has read everything: the answer is what counts.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed;
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    received.write(buffer, 0, n);
                }
                closed = true;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            } catch (IOException reset) {
                closed = true; // closed with unread request bytes in its buffer: a reset instead of a FIN
            }
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int endOfLine = text.indexOf("\r\n");
            return new Answer(endOfLine < 0 ? text : text.substring(0, endOfLine), text, closed);
        }
    }
}

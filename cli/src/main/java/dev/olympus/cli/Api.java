package dev.olympus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side: one request with the key, an {@code Idempotency-Key} on every POST (the same on each retry of a
 * timed-out request, so it is never performed twice), waiting out {@code Retry-After} on 429, 423 and 503 up to
 * {@code --max-wait}, and turning error answers into {@link CliException}s carrying the server's problem.
 */
final class Api {

    /** Tries of a request whose answer timed out or whose connection broke (the same key each time). */
    private static final int TRIES = 3;
    /** A freeze (423) says no Retry-After: look again this often while --max-wait allows. */
    private static final Duration FROZEN_POLL = Duration.ofSeconds(5);

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return body == null || body.isEmpty() ? Json.object() : Json.parse(body);
            } catch (IOException e) {
                throw CliException.local(Exit.OTHER, "bad-response", "The server answered " + status + " with a body that is not JSON");
            }
        }
    }

    private final Cli cli;
    private final Config config;
    private final HttpClient http;

    Api(Cli cli, Config config) {
        this.cli = cli;
        this.config = config;
        Main.trace("client");
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if ("http".equals(config.url().getScheme())) {
            builder.sslContext(plainOnly());
        }
        this.http = builder.build();
        Main.trace("client built");
    }

    /**
     * For a plain-http server, a TLS context that is never used: the default one reads the JDK's trust store at
     * client creation, which cost about a third of a one-request call.
     */
    private static SSLContext plainOnly() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    URI base() {
        return config.url();
    }

    HttpClient http() {
        return http;
    }

    String authorization() {
        return "Bearer " + config.apiKey();
    }

    /** A request expected to succeed (2xx); any other answer ends the command with the server's problem. */
    Response call(String method, String path, JsonNode body) {
        return call(method, path, body, Map.of(), cli.timeout);
    }

    Response call(String method, String path, JsonNode body, Map<String, String> headers, Duration timeout) {
        Response response = send(method, path, body, headers, timeout);
        if (response.status() >= 300) {
            throw failure(response);
        }
        return response;
    }

    /** Sends with retries and waiting; returns whatever answer came last (the caller decides what is an error). */
    Response send(String method, String path, JsonNode body, Map<String, String> headers, Duration timeout) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if ("POST".equals(method)) {
            all.putIfAbsent("Idempotency-Key", cli.idempotencyKey != null ? cli.idempotencyKey : UUID.randomUUID().toString());
        }
        Instant waitUntil = Instant.now().plus(cli.maxWait);
        int tries = 0;
        while (true) {
            tries++;
            HttpResponse<String> response;
            Main.trace("request");
            try {
                response = http.send(request(method, path, body, all, timeout), HttpResponse.BodyHandlers.ofString());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                throw CliException.local(Exit.UNAVAILABLE, "unreachable", "Cannot connect to " + config.url()
                        + ": " + describe(e), e);
            } catch (HttpTimeoutException e) {
                if (tries < TRIES) {
                    cli.debug(method + " " + path + " timed out; trying again with the same Idempotency-Key");
                    continue;
                }
                throw CliException.local(Exit.UNAVAILABLE, "timeout", method + " " + path + " got no answer within "
                        + timeout.toSeconds() + " s (" + tries + " tries)", e);
            } catch (IOException e) {
                if (tries < TRIES) {
                    cli.debug(method + " " + path + " failed (" + e + "); trying again with the same Idempotency-Key");
                    continue;
                }
                throw CliException.local(Exit.UNAVAILABLE, "unreachable", method + " " + path + " failed: " + describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.local(Exit.OTHER, "interrupted", "Interrupted");
            }
            int status = response.statusCode();
            cli.debug(method + " " + path + " -> " + status);
            if (status == 429 || status == 423 || status == 503) {
                Duration pause = retryAfter(response, status);
                if (pause != null && !Instant.now().plus(pause).isAfter(waitUntil)) {
                    cli.debug("waiting " + pause.toMillis() + " ms before trying again (" + status + ")");
                    sleep(pause);
                    continue;
                }
            }
            return new Response(status, response.body(), response.headers());
        }
    }

    CliException failure(Response response) {
        JsonNode problem;
        try {
            problem = response.body() == null || response.body().isBlank() ? null : Json.parse(response.body());
        } catch (IOException e) {
            problem = null;
        }
        ObjectNode object;
        if (problem instanceof ObjectNode o) {
            object = o;
        } else {
            object = Json.object();
            object.put("status", response.status());
            object.put("title", switch (response.status()) {
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                default -> "HTTP " + response.status();
            });
            if (response.status() == 401) {
                object.put("code", "unauthorized");
                object.put("detail", "The API key was refused (missing, unknown or revoked)");
            }
        }
        return new CliException(Exit.forStatus(response.status()), object, null);
    }

    private HttpRequest request(String method, String path, JsonNode body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.url() + path)).timeout(timeout)
                .header("Authorization", authorization()).header("Accept", "application/json")
                .header("User-Agent", "olympus-cli/1");
        headers.forEach(builder::header);
        if (body != null) {
            String type = "PATCH".equals(method) ? "application/merge-patch+json" : "application/json";
            builder.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private static Duration retryAfter(HttpResponse<?> response, int status) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return status == 423 ? FROZEN_POLL : status == 429 ? Duration.ofSeconds(1) : null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local(Exit.OTHER, "interrupted", "Interrupted");
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    static String query(Map<String, ?> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            String text = value instanceof Iterable<?> list ? String.join(",", (Iterable<? extends CharSequence>) list) : value.toString();
            if (text.isEmpty()) {
                return;
            }
            query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(text, StandardCharsets.UTF_8));
        });
        return query.toString();
    }
}

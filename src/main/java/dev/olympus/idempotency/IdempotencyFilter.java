package dev.olympus.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.olympus.auth.Caller;
import dev.olympus.auth.CurrentCaller;
import dev.olympus.ratelimit.RateLimitHeaders;
import dev.olympus.web.ProblemCode;
import dev.olympus.web.ProblemException;
import dev.olympus.web.ProblemMapper;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code Idempotency-Key} on every POST, for every resource, as a pair of filters around the resource:
 * <ul>
 *   <li>the request filter (after authentication and the rate limit; {@code readBody}, so it sees the body
 *       bytes, which it hands back to the resource unchanged) claims the key for the agent with a pending row
 *       ({@code INSERT ... ON CONFLICT}). The winner runs the resource. A repetition of a finished request gets
 *       the stored answer; a repetition of a running one waits (timers, no thread held) and then gets it; the
 *       same key with a different method, path or body gets 422 {@code idempotency-key-reused};</li>
 *   <li>the response filter stores the winner's answer (status, body, {@code Content-Type}, {@code Location},
 *       {@code ETag}) before it is sent, and sends exactly the stored bytes. Answers that did nothing and may
 *       succeed later (429, 423, 408, 5xx) are not stored: the key is released and the next try runs again.</li>
 * </ul>
 * The one gap of doing this outside the resource's transaction: if an instance dies after the change committed
 * and before its answer is stored, the key stays pending; after {@code olympus.idempotency.abandon-after} a
 * repetition runs the request again.
 */
public class IdempotencyFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";
    /** After authentication (100) and the rate limit (200). */
    public static final int PRIORITY = 300;

    static final String OWNED = IdempotencyFilter.class.getName() + ".owned";
    private static final int MAX_KEY_LENGTH = 255;

    private final IdempotencyStore store;
    private final IdempotencyConfig config;
    private final CurrentCaller currentCaller;
    private final ObjectMapper json;
    private final Vertx vertx;

    public IdempotencyFilter(IdempotencyStore store, IdempotencyConfig config, CurrentCaller currentCaller,
                             ObjectMapper json, Vertx vertx) {
        this.store = store;
        this.config = config;
        this.currentCaller = currentCaller;
        this.json = json;
        this.vertx = vertx;
    }

    @ServerRequestFilter(priority = PRIORITY, readBody = true)
    public Uni<Response> begin(ContainerRequestContext context, HttpServerRequest request) {
        String key = context.getHeaderString(HEADER);
        if (key == null || !"POST".equals(context.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        key = key.trim();
        if (!validKey(key)) {
            return Uni.createFrom().item(ProblemMapper.toResponse(ProblemException.validation(HEADER,
                    "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters"), request));
        }
        Caller caller = caller();
        if (caller == null) {
            return Uni.createFrom().nullItem();
        }
        byte[] fingerprint = fingerprint(context.getMethod(), request.uri(), body());
        long deadline = System.nanoTime() + config.waitTimeout().toNanos();
        return attempt(context, request, caller.agentId(), key, fingerprint, deadline, 0);
    }

    private Uni<Response> attempt(ContainerRequestContext context, HttpServerRequest request, long agentId, String key,
                                  byte[] fingerprint, long deadline, int round) {
        return store.claim(agentId, key, fingerprint).chain(claim -> switch (claim) {
            case IdempotencyStore.Owned owned -> {
                context.setProperty(OWNED, owned);
                yield Uni.createFrom().nullItem();
            }
            case IdempotencyStore.Existing existing when !existing.sameRequest(fingerprint) ->
                    Uni.createFrom().item(ProblemMapper.toResponse(new ProblemException(422, ProblemCode.IDEMPOTENCY_KEY_REUSED,
                            "Idempotency key reused", "This Idempotency-Key was already used for a different request "
                            + "(method, path or body). Use a new key for a new request."), request));
            case IdempotencyStore.Existing existing when existing.response() != null ->
                    Uni.createFrom().item(replay(existing.response()));
            default -> {
                // Still running elsewhere (or released a moment ago): wait a little, then look again.
                if (System.nanoTime() - deadline > 0) {
                    yield Uni.createFrom().item(ProblemMapper.toResponse(new ProblemException(409,
                            ProblemCode.IDEMPOTENCY_KEY_IN_FLIGHT, "Request in flight", "The first request with this "
                            + "Idempotency-Key is still running; retry shortly to get its answer.")
                            .header(RateLimitHeaders.RETRY_AFTER, "1"), request));
                }
                yield after(Math.min(200, 5L << Math.min(round, 6)))
                        .chain(() -> attempt(context, request, agentId, key, fingerprint, deadline, round + 1));
            }
        });
    }

    @ServerResponseFilter
    public Uni<Void> complete(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(OWNED) instanceof IdempotencyStore.Owned owned)) {
            return Uni.createFrom().voidItem();
        }
        request.removeProperty(OWNED);
        int status = response.getStatus();
        Uni<Void> done;
        if (!replayable(status)) {
            done = store.release(owned);
        } else {
            try {
                byte[] body = serialize(response.getEntity());
                MediaType type = response.getMediaType() != null ? response.getMediaType() : MediaType.APPLICATION_JSON_TYPE;
                if (body != null) {
                    // Send exactly the bytes that every repetition will get.
                    response.setEntity(body, response.getEntityAnnotations(), type);
                }
                done = store.complete(owned, new StoredResponse(status, body == null ? null : type.toString(),
                        response.getHeaderString(HttpHeaders.LOCATION), response.getHeaderString(HttpHeaders.ETAG), body));
            } catch (IOException e) {
                Log.warnf("Could not store the answer for an Idempotency-Key: %s", e.getMessage());
                done = store.release(owned);
            }
        }
        // The answer goes out even if the key could not be stored; a repetition then runs after abandon-after.
        return done.onFailure().invoke(e -> Log.warnf("Idempotency key bookkeeping failed: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static Response replay(StoredResponse stored) {
        Response.ResponseBuilder builder = Response.status(stored.status()).header(REPLAYED, "true");
        if (stored.body() != null) {
            builder.entity(stored.body()).type(stored.contentType());
        }
        if (stored.location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.etag() != null) {
            builder.header(HttpHeaders.ETAG, stored.etag());
        }
        return builder.build();
    }

    /** Answers that did nothing lasting and may go through later are not replayed. */
    static boolean replayable(int status) {
        return status < 500 && status != 408 && status != 423 && status != 425 && status != 429;
    }

    static boolean validKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The body as the resource will read it. With {@code readBody = true} RESTEasy Reactive has read it into memory
     * before this filter; it is put back as a fresh stream. A resource that reads no body has none to compare.
     */
    private static byte[] body() {
        ResteasyReactiveRequestContext server = CurrentRequestManager.get();
        // Only an in-memory body is touched: asking for the stream of an unread body would create a blocking one.
        if (server != null && server.hasInputStream() && server.getInputStream() instanceof ByteArrayInputStream in) {
            byte[] bytes = in.readAllBytes();
            server.setInputStream(new ByteArrayInputStream(bytes));
            return bytes;
        }
        return new byte[0];
    }

    static byte[] fingerprint(String method, String uri, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + uri + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private byte[] serialize(Object entity) throws IOException {
        return switch (entity) {
            case null -> null;
            case byte[] bytes -> bytes;
            case String text -> text.getBytes(StandardCharsets.UTF_8);
            default -> json.writeValueAsBytes(entity);
        };
    }

    private Uni<Void> after(long millis) {
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, id -> emitter.complete(null)));
    }

    private Caller caller() {
        try {
            return currentCaller.get();
        } catch (ProblemException e) {
            return null;
        }
    }
}

package dev.olympus.web;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bodies over 256 KiB are refused before they are read, with a problem body rather than Vert.x's empty 413.
 * Declared lengths are checked up front; chunked bodies are cut off by {@code quarkus.http.limits.max-body-size}
 * and get the same problem through the error handler. The unread rest of the body makes the connection useless,
 * so an HTTP/1.x connection is closed after the answer (as Vert.x does after a 431), once the body has ended or at
 * the latest {@link #LINGER_MS} later: a client that stopped sending cannot keep it open, and one still sending
 * gets to read its 413.
 */
@ApplicationScoped
public class BodyLimit {

    static final long MAX_BODY_BYTES = 256 * 1024;
    /** How long the rest of a refused body is read and dropped before the connection is closed. */
    static final long LINGER_MS = 2000;
    private static final String BODY = """
            {"type":"urn:olympus:problem:payload-too-large","title":"Payload too large","status":413,\
            "detail":"The body exceeds 256 KiB.","code":"payload-too-large"}""";

    void install(@Observes Router router) {
        router.route().order(-1000).handler(this::checkDeclaredLength);
        router.errorHandler(413, BodyLimit::tooLarge);
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
                    tooLarge(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                // Vert.x refuses a malformed Content-Length itself.
            }
        }
        ctx.next();
    }

    private static void tooLarge(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(BODY)
                .onComplete(written -> lingerThenClose(ctx));
    }

    /**
     * Closes an HTTP/1.x connection after its 413, but not at once: closing a socket that still holds unread bytes
     * makes the kernel send a reset, which can destroy the answer before a client that is still sending its body
     * has read it. So what still arrives is read and dropped until the body ends or {@link #LINGER_MS} pass.
     */
    private static void lingerThenClose(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() == HttpVersion.HTTP_2) {
            return;
        }
        HttpConnection connection = request.connection();
        long timer = ctx.vertx().setTimer(LINGER_MS, id -> connection.close());
        try {
            request.handler(dropped -> { })
                    .endHandler(ended -> {
                        ctx.vertx().cancelTimer(timer);
                        connection.close();
                    })
                    .resume();
        } catch (IllegalStateException alreadyRead) {
            ctx.vertx().cancelTimer(timer);
            connection.close();
        }
    }
}

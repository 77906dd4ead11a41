package dev.olympus.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bodies over 256 KiB are refused before they are read, with a problem body rather than Vert.x's empty 413.
 * Declared lengths are checked up front; chunked bodies are cut off by {@code quarkus.http.limits.max-body-size}
 * and get the same problem through the error handler. The unread rest of the body makes the connection useless,
 * so an HTTP/1.x connection is closed once the answer is written (as Vert.x does after a 431): a client that
 * stopped sending cannot keep it open.
 */
@ApplicationScoped
public class BodyLimit {

    static final long MAX_BODY_BYTES = 256 * 1024;
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
                .onComplete(written -> {
                    if (ctx.request().version() != HttpVersion.HTTP_2) {
                        ctx.request().connection().close();
                    }
                });
    }
}

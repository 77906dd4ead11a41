package dev.olympus.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * POSTs one delivery with Vert.x's non-blocking HTTP client (the one the Vert.x web client is built on: we need the
 * response as a stream to cap it). Never follows redirects (a 3xx is a failure); the whole exchange, the body of the
 * answer included, must complete within {@code olympus.webhooks.timeout}; the answer's body is read up to
 * {@code olympus.webhooks.max-response-bytes} and dropped: a longer or endless body is a failure and the connection
 * is closed. Nothing here blocks an event loop, so a slow receiver holds up only its own webhook.
 */
@ApplicationScoped
public class WebhookSender {

    /** What came back: the status (null when none came) and, for a failure, why. */
    public record Outcome(Integer status, String error, long durationMs) {
        public boolean acknowledged() {
            return error == null && status != null && status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final WebhooksConfig config;
    private final HttpClient client;

    public WebhookSender(Vertx vertx, WebhooksConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(config.timeout().toMillis(), Integer.MAX_VALUE))
                .setKeepAlive(true)
                .setMaxPoolSize(64)
                .setTryUseCompression(false)
                .setVerifyHost(true));
    }

    void stop(@Observes ShutdownEvent event) {
        client.close();
    }

    public Uni<Outcome> post(String url, Buffer body, String id, long timestamp, String signature) {
        return Uni.createFrom().emitter(emitter -> {
            long start = System.nanoTime();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<HttpClientRequest> current = new AtomicReference<>();
            Promise<Outcome> result = Promise.promise();
            long timer = vertx.setTimer(config.timeout().toMillis(), t -> {
                if (done.compareAndSet(false, true)) {
                    HttpClientRequest request = current.get();
                    if (request != null) {
                        request.reset();
                        request.connection().close();
                    }
                    result.complete(new Outcome(null, "timeout after " + config.timeout().toMillis() + " ms", millis(start)));
                }
            });
            RequestOptions options;
            try {
                options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setFollowRedirects(false)
                        .putHeader("content-type", "application/json")
                        .putHeader("user-agent", "Olympus-Webhooks/1")
                        .putHeader("webhook-id", id)
                        .putHeader("webhook-timestamp", Long.toString(timestamp))
                        .putHeader("webhook-signature", signature);
            } catch (RuntimeException e) {
                vertx.cancelTimer(timer);
                emitter.complete(new Outcome(null, "invalid url: " + e.getMessage(), millis(start)));
                return;
            }
            client.request(options)
                    .compose(request -> {
                        current.set(request);
                        return request.send(body);
                    })
                    .onSuccess(response -> read(response, start, done, result))
                    .onFailure(failure -> {
                        if (done.compareAndSet(false, true)) {
                            result.complete(new Outcome(null, describe(failure), millis(start)));
                        }
                    });
            result.future().onComplete(outcome -> {
                vertx.cancelTimer(timer);
                emitter.complete(outcome.result());
            });
        });
    }

    private void read(HttpClientResponse response, long start, AtomicBoolean done, Promise<Outcome> result) {
        int status = response.statusCode();
        long[] received = {0};
        response.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > config.maxResponseBytes() && done.compareAndSet(false, true)) {
                response.request().reset();
                response.request().connection().close();
                result.complete(new Outcome(status, "response body over " + config.maxResponseBytes() + " bytes", millis(start)));
            }
        });
        response.exceptionHandler(failure -> {
            if (done.compareAndSet(false, true)) {
                result.complete(new Outcome(status, describe(failure), millis(start)));
            }
        });
        response.endHandler(end -> {
            if (done.compareAndSet(false, true)) {
                String error = status >= 200 && status < 300 ? null
                        : status >= 300 && status < 400 ? "redirect " + status + " (redirects are not followed)"
                        : "HTTP " + status;
                result.complete(new Outcome(status, error, millis(start)));
            }
        });
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 300 ? text.substring(0, 300) : text;
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

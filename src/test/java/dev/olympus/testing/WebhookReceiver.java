package dev.olympus.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real webhook receiver on loopback (the JDK's HTTP server, one virtual thread per request). Each path keeps what it
 * received and answers as its {@link Mode} says, so one receiver plays a healthy endpoint and several broken ones.
 * Signatures are checked with {@link #verify}, written from the Standard Webhooks specification, independently of
 * the server's code.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** HOLD: keeps the request open until the mode changes (at most 30 s), then answers 204. */
    public enum Mode { OK, ERROR_500, TIMEOUT, CLOSE, REDIRECT, ENDLESS_BODY, HOLD }

    /** One request as it arrived. */
    public record Received(String id, String timestamp, String signature, String body) {}

    private final HttpServer server;
    private final Map<String, Mode> modes = new ConcurrentHashMap<>();
    /** Per path in HOLD: released when the path's mode changes, which answers the held requests at once. */
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        return start(0);
    }

    public static WebhookReceiver start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + "/" + path;
    }

    public void mode(String path, Mode mode) {
        String key = "/" + path;
        CountDownLatch previous = mode == Mode.HOLD ? holds.putIfAbsent(key, new CountDownLatch(1)) : holds.remove(key);
        modes.put(key, mode);
        if (mode != Mode.HOLD && previous != null) {
            previous.countDown();
        }
    }

    /** What {@code path} received (every attempt, also the failed ones), in arrival order. */
    public List<Received> received(String path) {
        return new ArrayList<>(received.getOrDefault("/" + path, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(headers.getFirst("webhook-id"),
                headers.getFirst("webhook-timestamp"), headers.getFirst("webhook-signature"),
                new String(body, StandardCharsets.UTF_8)));
        switch (modes.getOrDefault(path, Mode.OK)) {
            case OK -> answer(exchange, 204, null);
            case HOLD -> {
                CountDownLatch hold = holds.get(path);
                try {
                    if (hold != null) {
                        hold.await(30, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                answer(exchange, 204, null);
            }
            case ERROR_500 -> answer(exchange, 500, "broken");
            case REDIRECT -> {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/elsewhere");
                answer(exchange, 302, null);
            }
            case TIMEOUT -> {
                try {
                    Thread.sleep(5_000); // a server slower than the client's timeout: the slowness is what is tested
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, 200, "too late");
            }
            case CLOSE -> exchange.close(); // no answer at all: the connection just closes
            case ENDLESS_BODY -> {
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[8192];
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 100_000; i++) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the sender hung up: what it should do
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    /**
     * Standard Webhooks verification: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the base64-decoded secret
     * after "whsec_"; the header holds space-separated "v1,<base64>" entries, and one match suffices.
     */
    public static boolean verify(String secret, Received request) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : request.signature().split(" ")) {
                String[] parts = entry.split(",", 2);
                if (parts.length == 2 && parts[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

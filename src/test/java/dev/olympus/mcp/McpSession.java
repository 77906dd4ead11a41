package dev.olympus.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

/**
 * A real MCP client (the official Java SDK over Streamable HTTP) connected to the test application as one agent,
 * with its API key in the {@code Authorization} header of every request, as the README tells clients to do.
 */
final class McpSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The SDK's default mapper resolves polymorphic types (such as resource contents) through the thread's context
     * class loader; its HTTP threads do not carry the test application's, so pin the SDK's own.
     */
    private static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder()
            .typeFactory(TypeFactory.createDefaultInstance().withClassLoader(McpSchema.class.getClassLoader()))
            .build());

    final McpSyncClient client;

    private McpSession(McpSyncClient client) {
        this.client = client;
    }

    /** Builds the client; {@link #initialize()} performs the handshake. */
    static McpSession as(URL base, String key) {
        var transport = HttpClientStreamableHttpTransport.builder(base.toString().replaceAll("/$", ""))
                .endpoint("/mcp")
                .jsonMapper(MAPPER)
                .httpRequestCustomizer((request, method, uri, body, context) -> {
                    if (key != null) {
                        request.header("Authorization", "Bearer " + key);
                    }
                })
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("olympus-test", "1"))
                .requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10))
                .build();
        return new McpSession(client);
    }

    static McpSession connect(URL base, String key) {
        McpSession session = as(base, key);
        session.initialize();
        return session;
    }

    McpSchema.InitializeResult initialize() {
        return client.initialize();
    }

    /** Calls a tool; the result's text is JSON in both outcomes. */
    Result call(String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        String text = ((McpSchema.TextContent) result.content().getFirst()).text();
        try {
            return new Result(Boolean.TRUE.equals(result.isError()), JSON.readTree(text), text);
        } catch (Exception e) {
            throw new AssertionError("tool " + tool + " answered text that is not JSON: " + text, e);
        }
    }

    /** Calls a tool that must succeed. */
    JsonNode ok(String tool, Map<String, Object> arguments) {
        Result result = call(tool, arguments);
        if (result.error()) {
            throw new AssertionError("tool " + tool + " failed: " + result.text());
        }
        return result.json();
    }

    /** Calls a tool that must fail; answers the problem. */
    JsonNode problem(String tool, Map<String, Object> arguments) {
        Result result = call(tool, arguments);
        if (!result.error()) {
            throw new AssertionError("tool " + tool + " should have failed: " + result.text());
        }
        return result.json();
    }

    @Override
    public void close() {
        client.close();
    }

    record Result(boolean error, JsonNode json, String text) {}
}

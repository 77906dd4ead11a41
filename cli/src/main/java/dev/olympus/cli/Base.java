package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** A command: the global options, and short ways to the invocation's API client and output. */
abstract class Base implements Callable<Integer> {

    private static final Pattern AGENT_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,31}$");

    @Mixin
    GlobalOptions globals;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        return run();
    }

    /** Does the command's work; returns its exit code. */
    abstract int run();

    Cli cli() {
        return Cli.current();
    }

    Api api() {
        return cli().api();
    }

    Output output() {
        return cli().output();
    }

    static ObjectNode object() {
        return Json.object();
    }

    static void putList(ObjectNode body, String field, List<?> values) {
        if (values != null && !values.isEmpty()) {
            body.set(field, Json.array(values));
        }
    }

    static String agentPath(String name) {
        if (!"me".equals(name) && !AGENT_NAME.matcher(name).matches()) {
            throw CliException.usage("'" + name + "' is not an agent name (^[a-z][a-z0-9-]{1,31}$)");
        }
        return "/api/v1/agents/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    static String required(String value, String option) {
        if (value == null || value.isBlank()) {
            throw CliException.usage(option + " is required and must not be blank");
        }
        return value;
    }
}

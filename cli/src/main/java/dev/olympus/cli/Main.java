package dev.olympus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Olympus agent CLI ("oly"): entry point, command tree, and the mapping of every failure to an exit code. */
public final class Main {

    @Command(name = "oly", version = "oly 1.0 (Olympus agent CLI)",
            description = "Olympus from the shell: claim, work on and finish tasks; plan, watch and steer agents.%n"
                    + "Configure with OLYMPUS_URL and OLYMPUS_API_KEY, or ~/.config/olympus/config (mode 0600; see 'oly configure').%n"
                    + "Exit codes: 0 ok, 1 other, 2 usage, 3 nothing to do, 4 conflict, 5 forbidden/killed, 6 rate limited/frozen, 7 unavailable.",
            subcommands = {})
    static final class Root extends Group {
        @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
        boolean version;
    }

    /**
     * The commands by name. Only the one a call names is built (picocli reads each command's annotations
     * reflectively, which for the whole tree was the biggest part of a call's start-up); help builds them all.
     */
    private static final Map<String, Class<?>> COMMANDS = commands();

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (Class<?> type : List.of(SystemCommands.Whoami.class, TaskCommands.class, WorkCommands.Claim.class,
                WorkCommands.Heartbeat.class, WorkCommands.CommentOn.class, WorkCommands.Start.class,
                WorkCommands.Block.class, WorkCommands.Review.class, WorkCommands.Done.class, WorkCommands.Fail.class,
                WorkCommands.Release.class, WorkCommands.Cancel.class, WorkCommands.Retry.class,
                QuestionCommands.class, PlanCommands.class, EventCommands.class, AgentCommands.class,
                SystemCommands.Freeze.class, SystemCommands.Unfreeze.class, SystemCommands.Status.class,
                SystemCommands.Velocity.class, SystemCommands.Configure.class, Training.class)) {
            commands.put(type.getAnnotation(Command.class).name(), type);
        }
        return commands;
    }

    /** Global options that take a value, to find the command name after them. */
    private static final Set<String> VALUED_OPTIONS = Set.of("--max-wait", "--timeout", "--url", "--idempotency-key", "--field");

    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    private Main() {}

    public static void main(String[] args) {
        trace("main");
        boolean tty = Boolean.parseBoolean(System.getProperty("oly.tty", Boolean.toString(System.console() != null)));
        Cli cli = new Cli(System.getenv(), System.out, System.err, System.in, tty);
        int code = execute(cli, args);
        cli.close();
        System.out.flush();
        System.err.flush();
        trace("exit");
        System.exit(code);
    }

    /** Runs one command line in the given context and returns its exit code (never throws, never exits). */
    static int execute(Cli cli, String... args) {
        Cli.use(cli);
        trace("execute");
        CommandLine commandLine = new CommandLine(new Root());
        Class<?> named = COMMANDS.get(commandName(args));
        if (named != null) {
            commandLine.addSubcommand(named);
        } else {
            COMMANDS.values().forEach(commandLine::addSubcommand);
        }
        trace("command tree");
        commandLine.setOut(new PrintWriter(cli.out, true));
        commandLine.setErr(new PrintWriter(cli.err, true));
        commandLine.setParameterExceptionHandler((e, ignored) -> {
            CliException own = find(e);
            if (own != null) {
                return fail(cli, own);
            }
            cli.err.println(Json.write(CliException.usage(e.getMessage() + " (see oly "
                    + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^oly ?", "") + " --help)").problem));
            return Exit.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, ignored, parsed) -> fail(cli, e));
        try {
            return commandLine.execute(args);
        } catch (RuntimeException e) {
            return fail(cli, e);
        } finally {
            cli.out.flush();
        }
    }

    private static int fail(Cli cli, Exception e) {
        Throwable cause = find(e) != null ? find(e) : e;
        if (cause instanceof CommandLine.ParameterException p) {
            cli.err.println(Json.write(CliException.usage(p.getMessage()).problem));
            return Exit.USAGE;
        }
        if (cause instanceof CliException failure) {
            cli.err.println(Json.write(failure.problem));
            if (cli.debug && failure.getCause() != null) {
                failure.getCause().printStackTrace(cli.err);
            }
            return failure.exitCode;
        }
        ObjectNode problem = Json.object();
        problem.put("code", "internal-error");
        problem.put("title", "Error");
        problem.put("detail", cause.toString() + (cli.debug ? "" : " (run with --debug for the stack trace)"));
        cli.err.println(Json.write(problem));
        if (cli.debug) {
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            cli.err.print(trace);
        }
        return Exit.OTHER;
    }

    static void trace(String what) {
        if (System.getProperty("oly.trace") != null) {
            System.err.println("[trace] " + what + " at " + System.currentTimeMillis());
        }
    }

    private static CliException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CliException c) {
                return c;
            }
        }
        return null;
    }

    /** A context for in-process runs (AOT training, tests). */
    static Cli context(Map<String, String> env, PrintStream out, PrintStream err, InputStream in, boolean tty) {
        return new Cli(env, out, err, in, tty);
    }
}

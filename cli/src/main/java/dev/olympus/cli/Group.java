package dev.olympus.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only holds subcommands: called alone it is a usage error. */
abstract class Group implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions globals;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: oly " + spec.qualifiedName(" ").replaceFirst("^oly ", "")
                + " " + String.join("|", spec.subcommands().keySet()));
    }
}

package io.jeventlet.conf;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Mixin;

/** For tests of a main's command line: a temporary folder, and runs whose output and errors are kept. */
abstract class CommandLineFixture {

    @TempDir
    Path dir;

    /** What the runs printed to standard output. */
    final StringWriter out = new StringWriter();
    /** What the runs printed to standard error. */
    final StringWriter err = new StringWriter();

    /** Runs {@code command} with {@code args} as {@link ConfigCommandLine#commandLine} sets it up; its exit status. */
    int run(Object command, String... args) {
        picocli.CommandLine commandLine = ConfigCommandLine.commandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    /** A main as the project writes one, with the options mixin; keeps the configuration its run loaded. */
    abstract static class DemoMain implements Callable<Integer> {
        @Mixin
        ConfigCommandLine config;
        ConfigOpts conf;
    }
}

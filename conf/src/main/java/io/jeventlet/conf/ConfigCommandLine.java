package io.jeventlet.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.UnmatchedArgsBinding;

/**
 * The picocli mixin every main of the project uses for its configuration:
 * {@code --config-file FILE} (repeatable, a later file wins),
 * {@code --config-dir DIR} (its {@code *.conf} files, sorted),
 * {@code --<group>.<option>=<value>} for any declared option, and the
 * operator's {@code --debug}, {@code --log-file FILE} and
 * {@code --dump-config} ({@link LoggingOptions}).
 *
 * <pre>{@code
 * @Command(name = "l3-agent", mixinStandardHelpOptions = true)
 * final class L3AgentMain implements Callable<Integer> {
 *     @Mixin ConfigCommandLine config;
 *     public Integer call() {
 *         ConfigOpts conf = config.load();   // validated, logged
 *         ...
 *     }
 *     public static void main(String[] args) {
 *         System.exit(ConfigCommandLine.execute(new L3AgentMain(), args));
 *     }
 * }
 * }</pre>
 *
 * <p>Exit statuses of {@link #execute}: 0 on success (or the command's own
 * status), 2 for a usage error or an invalid configuration (the report goes
 * to the command's error stream, without a stack trace).
 *
 * <p>Thread rule: confined to the thread that parses the command line.
 *
 * <p>Implementation notes: option keys are not known to picocli (they come
 * from every jar's groups), so they are collected as unmatched arguments and
 * checked here; an unmatched argument that is not of the form
 * {@code --<group>.<option>[=<value>]} is a usage error, so a mistyped
 * {@code --config-fille} is still caught.
 */
@Command(footer = {"", "Every configuration option can also be given as --<group>.<option>=<value>;",
        "it overrides config files and environment variables (JEVENTLET_<GROUP>__<OPTION>)."})
public final class ConfigCommandLine {

    /** Exit status for a usage error or an invalid configuration (picocli's usage status). */
    public static final int EXIT_INVALID = CommandLine.ExitCode.USAGE;

    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*)(?:=(.*))?",
            Pattern.DOTALL);

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "A HOCON config file; repeatable, a later file wins over an earlier one.")
    private List<Path> configFiles = new ArrayList<>();

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "A directory whose *.conf files are read in name order, after every --config-file.")
    private List<Path> configDirs = new ArrayList<>();

    /** --debug, --log-file and --dump-config: kept in a class of their own. */
    @CommandLine.Mixin
    private LoggingOptions logging = new LoggingOptions();

    private List<String> unmatched = new ArrayList<>();

    private CommandSpec mixee;

    /**
     * Receives the command that uses this mixin. picocli does not carry an
     * {@code @Unmatched} field of a mixin over to the command, so the
     * binding that collects {@code --<group>.<option>} arguments is added
     * to the command here.
     */
    @Spec(Spec.Target.MIXEE)
    void mixee(CommandSpec spec) {
        if (mixee == null) {
            spec.addUnmatchedArgsBinding(UnmatchedArgsBinding.forStringArrayConsumer(new ISetter() {
                @Override
                @SuppressWarnings("unchecked")
                public <T> T set(T value) {
                    // picocli resets the binding with null before each parse.
                    unmatched = value == null ? new ArrayList<>() : new ArrayList<>(List.of((String[]) value));
                    return null;
                }
            }));
        }
        mixee = spec;
    }

    /** The {@code --config-file} arguments, in order. */
    public List<Path> configFiles() {
        return Collections.unmodifiableList(configFiles);
    }

    /** The {@code --config-dir} arguments, in order. */
    public List<Path> configDirs() {
        return Collections.unmodifiableList(configDirs);
    }

    /**
     * The {@code --<group>.<option>} arguments as {@code key -> value}; a key
     * given twice keeps the last value.
     *
     * @throws ParameterException for an argument that is no such option (picocli reports it as a usage error)
     */
    public Map<String, String> commandLineValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < unmatched.size(); i++) {
            String arg = unmatched.get(i);
            Matcher m = OPTION.matcher(arg);
            if (!m.matches()) {
                throw usage("Unknown option or argument: '" + arg + "'; configuration options are given as"
                        + " --<group>.<option>=<value>");
            }
            if (m.group(2) != null) {
                values.put(m.group(1), m.group(2));
            } else if (i + 1 < unmatched.size() && !unmatched.get(i + 1).startsWith("--")) {
                values.put(m.group(1), unmatched.get(++i));
            } else {
                throw usage("Missing value for option '" + arg + "'; give it as " + arg + "=<value>");
            }
        }
        return values;
    }

    /** Adds the files, directories and command-line values to {@code builder}. */
    public ConfigOpts.Builder applyTo(ConfigOpts.Builder builder) {
        configFiles.forEach(builder::configFile);
        configDirs.forEach(builder::configDir);
        commandLineValues().forEach(builder::commandLine);
        logging.applyTo(builder);
        return builder;
    }

    /**
     * Loads the configuration (every discovered group, every layer) and logs
     * the effective values.
     *
     * @throws ConfigValidationException with every problem; {@link #execute} turns it into exit status 2
     */
    public ConfigOpts load() {
        return load(ConfigOpts.builder());
    }

    /** As {@link #load()}, from a builder that may already hold groups or overrides. */
    public ConfigOpts load(ConfigOpts.Builder builder) {
        if (mixee != null && mixee.name() != null && !mixee.name().startsWith("<")) {
            builder.prog(mixee.name());
        }
        ConfigOpts conf = applyTo(builder).load();
        logging.apply(conf, mixee != null && mixee.commandLine() != null ? mixee.commandLine().getOut()
                : new java.io.PrintWriter(java.io.Writer.nullWriter()));
        conf.logOptions();
        return conf;
    }

    private ParameterException usage(String message) {
        CommandLine commandLine = mixee != null ? mixee.commandLine() : null;
        if (commandLine == null) {
            throw new IllegalArgumentException(message);
        }
        return new ParameterException(commandLine, message);
    }

    /**
     * A {@link CommandLine} for {@code command} whose execution turns a
     * {@link ConfigValidationException} into its report on the error stream
     * and exit status {@link #EXIT_INVALID}, instead of a stack trace.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(command);
        exampleOption().ifPresent(opt -> {
            CommandLine.Model.UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
            String[] footer = java.util.Arrays.copyOf(usage.footer(), usage.footer().length + 1);
            footer[footer.length - 1] = "For example --" + opt.key() + "=... or JEVENTLET_"
                    + opt.key().replace(".", "__").toUpperCase(java.util.Locale.ROOT) + ".";
            usage.footer(footer);
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof ConfigDumped) {
                return CommandLine.ExitCode.OK;
            }
            if (exception instanceof ConfigValidationException invalid) {
                failed.getErr().println(failed.getColorScheme().errorText(invalid.getMessage()));
                failed.getErr().flush();
                return EXIT_INVALID;
            }
            throw exception;
        });
        return commandLine;
    }

    /** The first option the class path declares, so help shows a key that exists; empty if none. */
    private static java.util.Optional<Opt<?>> exampleOption() {
        ClassLoader loader = ConfigOpts.Builder.defaultClassLoader();
        for (OptGroupProvider provider : java.util.ServiceLoader.load(OptGroupProvider.class, loader)) {
            for (OptGroup group : provider.groups()) {
                if (!group.options().isEmpty()) {
                    return java.util.Optional.of(group.options().getFirst());
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** Parses {@code args}, runs {@code command} and returns the exit status (see the class comment). */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }
}

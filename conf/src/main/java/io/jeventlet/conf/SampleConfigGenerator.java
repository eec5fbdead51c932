package io.jeventlet.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Writes a commented sample configuration from the declared options
 * (oslo-config-generator's job): for each group, each option's help, type,
 * default (from {@code reference.conf}), range, flags, deprecated names and
 * environment variable, and a commented-out {@code name = default} line.
 * Uncommenting a line yields valid HOCON that sets the default again.
 *
 * <p>Thread-safe: {@link #generate} is a pure function; an instance (the
 * command) is confined to the thread that runs it.
 */
@Command(name = "jeventlet-config-generator", mixinStandardHelpOptions = true,
        description = "Writes a commented sample configuration of every declared option.")
public final class SampleConfigGenerator implements Callable<Integer> {

    private static final int WIDTH = 78;
    // JSON is valid HOCON, and unlike HOCON rendering it keeps the braces of an object value.
    private static final ConfigRenderOptions JSON = ConfigRenderOptions.concise();

    @Option(names = {"-o", "--output-file"}, paramLabel = "FILE",
            description = "Where to write the sample (default: standard output).")
    private Path output;

    @Option(names = "--group", paramLabel = "NAME",
            description = "Only this group; repeatable (default: every discovered group).")
    private List<String> only = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    /** Runs the generator; exits 0 on success, 2 on a usage error, 1 when the file cannot be written. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SampleConfigGenerator()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<OptGroup> groups = new ArrayList<>();
        // Every main has the log group (the mixin registers it rather than discovery): list it first.
        groups.add(LogOpts.LOG);
        for (OptGroupProvider provider : ServiceLoader.load(OptGroupProvider.class, loader)) {
            groups.addAll(provider.groups());
        }
        List<String> known = groups.stream().map(OptGroup::name).toList();
        for (String name : only) {
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "Unknown group '" + name + "'; declared groups are "
                        + known + OptionValidator.suggestion(name, known, ""));
            }
        }
        if (!only.isEmpty()) {
            groups.removeIf(g -> !only.contains(g.name()));
        }
        String sample = generate(groups, ConfigFactory.parseResources(loader, "reference.conf"));
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(sample);
            out.flush();
        } else {
            Files.writeString(output, sample, StandardCharsets.UTF_8);
        }
        return 0;
    }

    /**
     * The sample for {@code groups}, with defaults taken from {@code reference}
     * (unresolved substitutions are shown as written).
     */
    public static String generate(List<OptGroup> groups, Config reference) {
        StringBuilder out = new StringBuilder();
        out.append("# Sample configuration, generated from the declared options.\n")
                .append("# Each option is commented out with its default from reference.conf;\n")
                .append("# uncomment a line to change it. Durations take units (5s, 100ms, 2m) or\n")
                .append("# plain seconds; memory sizes take units (512k, 64M) or plain bytes.\n");
        for (OptGroup group : groups) {
            out.append('\n');
            comment(out, "", group.help());
            out.append(group.name()).append(" {\n");
            for (Opt<?> opt : group.options()) {
                option(out, opt, reference);
            }
            out.append("}\n");
        }
        return out.toString();
    }

    private static void option(StringBuilder out, Opt<?> opt, Config reference) {
        out.append('\n');
        if (!opt.helpText().isEmpty()) {
            comment(out, "  ", opt.helpText());
        }
        out.append("  # Type: ").append(opt.type().name()).append('\n');
        if (!opt.constraints().isEmpty()) {
            out.append("  # Allowed: ").append(opt.constraints()).append('\n');
        }
        List<String> flags = new ArrayList<>();
        if (opt.isRequired()) {
            flags.add("required");
        }
        if (opt.isSecret()) {
            flags.add("secret");
        }
        flags.add(opt.isMutable() ? "mutable (reloaded on SIGHUP)" : "immutable (needs a restart)");
        out.append("  # Flags: ").append(String.join(", ", flags)).append('\n');
        if (!opt.deprecatedKeys().isEmpty()) {
            out.append("  # Deprecated names: ").append(String.join(", ", opt.deprecatedKeys())).append('\n');
        }
        out.append("  # Environment: ").append(opt.envVar()).append('\n');
        out.append("  #").append(opt.name()).append(" = ").append(defaultValue(opt, reference)).append('\n');
    }

    private static String defaultValue(Opt<?> opt, Config reference) {
        ConfigValue value;
        try {
            if (!reference.hasPathOrNull(opt.key()) || reference.getIsNull(opt.key())) {
                return "null";
            }
            value = reference.getValue(opt.key());
        } catch (ConfigException e) {
            return "null";
        }
        if (opt.isSecret()) {
            return "\"****\"";
        }
        return value.render(JSON);
    }

    /** Writes {@code text} as {@code #} comment lines wrapped at {@link #WIDTH}. */
    private static void comment(StringBuilder out, String indent, String text) {
        for (String paragraph : text.split("\n")) {
            StringBuilder line = new StringBuilder(indent).append('#');
            for (String word : paragraph.trim().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length() + 1) {
                    out.append(line).append('\n');
                    line = new StringBuilder(indent).append('#');
                }
                line.append(' ').append(word);
            }
            out.append(line).append('\n');
        }
    }
}

package io.jeventlet.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the configuration is read from, and the reading of it: one
 * {@link Config} per {@link ConfigLayer}, plus every problem met on the way
 * (a missing or malformed file does not stop the reading of the others, so
 * that all problems are reported together).
 *
 * <p>Thread-safe: immutable; {@link #read()} may be called again (a reload)
 * and re-reads every file and directory listing.
 *
 * <p>Implementation notes: the application layer follows typesafe-config's
 * convention: {@code -Dconfig.resource}, {@code -Dconfig.file} or
 * {@code -Dconfig.url} replaces {@code application.conf}. The system
 * properties and environment are injected maps, so tests need not mutate the
 * process.
 */
record ConfigSources(
        ClassLoader classLoader,
        Map<String, String> systemProperties,
        List<Path> configFiles,
        List<Path> configDirs,
        Map<String, String> environment,
        Map<String, String> commandLine,
        Map<String, Object> overrides) {

    static final String ENV_PREFIX = "JEVENTLET_";
    private static final Pattern ENV_KEY = Pattern.compile("JEVENTLET_([A-Z][A-Z0-9_]*?)__([A-Z][A-Z0-9_]*)");
    private static final ConfigParseOptions STRICT = ConfigParseOptions.defaults().setAllowMissing(false);

    ConfigSources {
        systemProperties = Map.copyOf(systemProperties);
        configFiles = List.copyOf(configFiles);
        configDirs = List.copyOf(configDirs);
        environment = Map.copyOf(environment);
        commandLine = new LinkedHashMap<>(commandLine);
        overrides = new LinkedHashMap<>(overrides);
    }

    /** The result of reading every layer. */
    record Reading(LayeredConfig config, List<ConfigProblem> problems) {
    }

    /** Reads every layer, lowest first; never throws for bad input, it is reported in the reading. */
    Reading read() {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<ConfigLayer, Config> layers = new EnumMap<>(ConfigLayer.class);
        layers.put(ConfigLayer.REFERENCE, parse("reference.conf", problems,
                () -> ConfigFactory.parseResources(classLoader, "reference.conf")));
        layers.put(ConfigLayer.APPLICATION, application(problems));
        layers.put(ConfigLayer.CONFIG_FILE, files(problems));
        layers.put(ConfigLayer.ENVIRONMENT, environmentLayer());
        layers.put(ConfigLayer.COMMAND_LINE, strings(commandLine, "command line --"));
        Config code = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            code = code.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "override in code"));
        }
        layers.put(ConfigLayer.OVERRIDE, code);
        return new Reading(new LayeredConfig(layers), problems);
    }

    private Config application(List<ConfigProblem> problems) {
        String resource = systemProperties.get("config.resource");
        String file = systemProperties.get("config.file");
        String url = systemProperties.get("config.url");
        if (resource != null) {
            return parse("-Dconfig.resource=" + resource, problems,
                    () -> ConfigFactory.parseResourcesAnySyntax(classLoader, resource, STRICT));
        }
        if (file != null) {
            return file(Path.of(file), "-Dconfig.file=", problems);
        }
        if (url != null) {
            return parse("-Dconfig.url=" + url, problems, () -> {
                try {
                    return ConfigFactory.parseURL(URI.create(url).toURL(), STRICT);
                } catch (MalformedURLException | IllegalArgumentException e) {
                    throw new ConfigException.Generic("is not a valid URL");
                }
            });
        }
        return parse("application.conf", problems,
                () -> ConfigFactory.parseResourcesAnySyntax(classLoader, "application"));
    }

    private Config files(List<ConfigProblem> problems) {
        Config layer = ConfigFactory.empty();
        for (Path path : configFiles) {
            layer = file(path, "--config-file ", problems).withFallback(layer);
        }
        for (Path dir : configDirs) {
            if (!Files.isDirectory(dir)) {
                problems.add(new ConfigProblem(null, "--config-dir " + dir, null, "is not a directory"));
                continue;
            }
            List<Path> confs;
            try (Stream<Path> listing = Files.list(dir)) {
                confs = listing.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList();
            } catch (IOException e) {
                problems.add(new ConfigProblem(null, "--config-dir " + dir, null, "cannot be listed: " + e));
                continue;
            }
            for (Path path : confs) {
                layer = file(path, "--config-dir ", problems).withFallback(layer);
            }
        }
        return layer;
    }

    private Config file(Path path, String option, List<ConfigProblem> problems) {
        String source = option + path;
        if (!Files.exists(path)) {
            problems.add(new ConfigProblem(null, source, null, "file not found"));
            return ConfigFactory.empty();
        }
        if (!Files.isRegularFile(path)) {
            problems.add(new ConfigProblem(null, source, null, "is not a regular file"));
            return ConfigFactory.empty();
        }
        if (!Files.isReadable(path)) {
            problems.add(new ConfigProblem(null, source, null, "is not readable (permission denied)"));
            return ConfigFactory.empty();
        }
        return parse(source, problems, () -> ConfigFactory.parseFile(path.toFile(), STRICT));
    }

    /** Runs one parse; a parse failure becomes a problem naming the file and line, and an empty layer. */
    private static Config parse(String source, List<ConfigProblem> problems, java.util.function.Supplier<Config> parser) {
        try {
            return parser.get();
        } catch (ConfigException e) {
            String where = e.origin() != null ? LayeredConfig.describe(e.origin()) : source;
            String what = e instanceof ConfigException.Parse ? "is not valid HOCON: " : "cannot be read: ";
            problems.add(new ConfigProblem(null, where, null, what + withoutOrigin(e)));
            return ConfigFactory.empty();
        }
    }

    /** typesafe-config prefixes messages with the origin, which the report already shows. */
    private static String withoutOrigin(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null) {
            String prefix = e.origin().description() + ": ";
            if (message.startsWith(prefix)) {
                return message.substring(prefix.length());
            }
        }
        return message;
    }

    private Config environmentLayer() {
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
            Matcher m = ENV_KEY.matcher(e.getKey());
            if (!m.matches()) {
                continue; // e.g. JEVENTLET_HOME: not an option
            }
            String path = ConfigUtil.joinPath(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT));
            layer = layer.withValue(path, ConfigValueFactory.fromAnyRef(e.getValue(),
                    "environment variable " + e.getKey()));
        }
        return layer;
    }

    private static Config strings(Map<String, String> values, String originPrefix) {
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, String> e : values.entrySet()) {
            layer = layer.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), originPrefix + e.getKey()));
        }
        return layer;
    }
}

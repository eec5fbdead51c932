package io.jeventlet.conf;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of a process (oslo.config's {@code CONF}): the declared
 * option groups, the values read from every {@link ConfigLayer}, checked all
 * at once at {@link Builder#load()}, and read back typed with
 * {@link #get(Opt)}.
 *
 * <pre>{@code
 * ConfigOpts conf = ConfigOpts.builder().register(AgentOpts.GROUP).configFile(path).load();
 * double interval = conf.get(AgentOpts.REPORT_INTERVAL);
 * }</pre>
 *
 * <p>Thread-safe: {@link #get} may be called from any thread at any time;
 * {@link #reload()} is serialized and publishes the new values at once.
 *
 * <p>Invariants: a {@code ConfigOpts} exists only with a valid
 * configuration (load throws otherwise); a reload that finds problems changes
 * nothing; only {@link Opt#mutable() mutable} options ever change value.
 *
 * <p>Implementation overview: {@link ConfigSources} reads the layers,
 * {@link OptionValidator} checks them and produces an immutable
 * {@link Snapshot}; the current snapshot sits in a volatile field, replaced
 * whole by a reload. Reload hooks run on the thread that called reload,
 * after the new snapshot is visible.
 */
public final class ConfigOpts {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigOpts.class);

    private final List<OptGroup> groups;
    private final ConfigSources sources;
    private final OptionValidator validator;
    private final List<Consumer<Map<String, ConfigChange>>> hooks = new CopyOnWriteArrayList<>();
    private final Set<String> deprecationsLogged = new HashSet<>();
    private volatile Snapshot current;
    private final String prog;

    private ConfigOpts(List<OptGroup> groups, ConfigSources sources, String prog) {
        this.prog = prog;
        this.groups = List.copyOf(groups);
        this.sources = sources;
        this.validator = new OptionValidator(this.groups);
        this.current = check(validator.validate(sources.read()), "Configuration is not valid");
    }

    /**
     * The program's name (oslo.config's {@code prog}): the main's command
     * name when loaded by {@link ConfigCommandLine}, else what
     * {@link Builder#prog} set, else null. Names the log file under
     * {@code log.log_dir} and the {@code process} label of metrics.
     */
    public String prog() {
        return prog;
    }

    /** A builder with the process's system properties and environment, and no files yet. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The effective value of {@code opt}: {@code null} when the option is
     * not required and no layer sets it (or sets it to {@code null}).
     *
     * @throws IllegalArgumentException if the option's group was not registered
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Opt<T> opt) {
        Snapshot snapshot = current;
        if (!snapshot.values().containsKey(opt)) {
            throw new IllegalArgumentException("option " + opt.key() + " is not declared in a registered group;"
                    + " register " + (opt.group() == null ? "it through OptGroup.add" : "group " + opt.group())
                    + " with ConfigOpts.Builder.register or an OptGroupProvider");
        }
        return (T) snapshot.values().get(opt);
    }

    /** The value of a duration option as a {@link java.time.Duration}, or null when unset. */
    public java.time.Duration getDuration(Opt<Double> opt) {
        Double seconds = get(opt);
        return seconds == null ? null : java.time.Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** The layer the effective value of {@code opt} came from, or null when it is unset. */
    public ConfigLayer layerOf(Opt<?> opt) {
        get(opt);
        return current.layers().get(opt);
    }

    /** Where the effective value came from, e.g. {@code /etc/agent/agent.conf:12}; null when unset. */
    public String sourceOf(Opt<?> opt) {
        get(opt);
        return current.sources().get(opt);
    }

    /** The registered groups, in registration order. */
    public List<OptGroup> groups() {
        return groups;
    }

    /**
     * The merged, resolved typesafe {@link Config} of the last successful
     * load, for libraries that read keys outside any declared group. Values
     * of declared options here are untyped and unmasked; prefer {@link #get}.
     */
    public Config config() {
        return current.config();
    }

    /** {@code value} as it may be shown in logs: {@code ****} for a secret option. */
    public static <T> String display(Opt<T> opt, T value) {
        return opt.display(value);
    }

    /** Registers a hook that receives, after each reload that changed something, {@code {key: (old, new)}}. */
    public void addReloadHook(Consumer<Map<String, ConfigChange>> hook) {
        hooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Re-reads every file and applies the changed values of mutable options.
     * A changed immutable option keeps its old value and logs a warning
     * {@code Ignoring change to immutable option <group>.<option>}.
     * Hooks are called with the applied changes (none when nothing changed);
     * an exception from a hook is logged and does not stop the other hooks.
     *
     * @return the applied changes, by key, in declaration order
     * @throws ConfigValidationException if the files are now invalid; then nothing changed
     */
    public synchronized Map<String, ConfigChange> reload() {
        Snapshot old = current;
        Snapshot fresh = check(validator.validate(sources.read()), "Reload failed, configuration unchanged");
        Map<Opt<?>, Object> values = new HashMap<>(old.values());
        Map<Opt<?>, String> origins = new HashMap<>(old.sources());
        Map<Opt<?>, ConfigLayer> layers = new HashMap<>(old.layers());
        Map<String, ConfigChange> changes = new LinkedHashMap<>();
        for (OptGroup group : groups) {
            for (Opt<?> opt : group.options()) {
                Object before = old.values().get(opt);
                Object after = fresh.values().get(opt);
                if (Objects.equals(before, after)) {
                    continue;
                }
                if (!opt.isMutable()) {
                    LOG.warn("Ignoring change to immutable option {}", opt.key());
                    continue;
                }
                values.put(opt, after);
                copyOrRemove(fresh.sources(), origins, opt);
                copyOrRemove(fresh.layers(), layers, opt);
                changes.put(opt.key(), new ConfigChange(before, after));
                LOG.info("Option {} changed from {} to {}", opt.key(), shown(opt, before), shown(opt, after));
            }
        }
        current = new Snapshot(values, origins, layers, fresh.config());
        if (!changes.isEmpty()) {
            Map<String, ConfigChange> diff = java.util.Collections.unmodifiableMap(changes);
            for (Consumer<Map<String, ConfigChange>> hook : hooks) {
                try {
                    hook.accept(diff);
                } catch (RuntimeException e) {
                    LOG.error("Reload hook {} failed", hook, e);
                }
            }
        }
        return java.util.Collections.unmodifiableMap(changes);
    }

    private static <V> void copyOrRemove(Map<Opt<?>, V> from, Map<Opt<?>, V> to, Opt<?> opt) {
        if (from.containsKey(opt)) {
            to.put(opt, from.get(opt));
        } else {
            to.remove(opt);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String shown(Opt<T> opt, Object value) {
        return opt.display((T) value);
    }

    /**
     * Logs the effective value of every option at INFO (oslo's
     * {@code log_options}), one line per option with the layer and place it
     * came from; secrets are shown as {@code ****}.
     */
    public void logOptions() {
        logOptions(LOG);
    }

    /** As {@link #logOptions()}, to the given logger. */
    public void logOptions(Logger log) {
        Snapshot snapshot = current;
        log.info("Effective configuration (lowest to highest layer: reference, application, config file,"
                + " environment, command line, override):");
        for (OptGroup group : groups) {
            for (Opt<?> opt : group.options()) {
                ConfigLayer layer = snapshot.layers().get(opt);
                String from = layer == null ? "[unset]"
                        : "[" + layer.label() + "] " + snapshot.sources().get(opt);
                log.info("  {} = {}  {}", opt.key(), shown(opt, snapshot.values().get(opt)), from);
            }
        }
    }

    private Snapshot check(OptionValidator.Result result, String headline) {
        if (!result.problems().isEmpty()) {
            throw new ConfigValidationException(headline, result.problems());
        }
        synchronized (deprecationsLogged) {
            for (String notice : result.deprecations()) {
                if (deprecationsLogged.add(notice)) {
                    LOG.warn(notice);
                }
            }
        }
        return result.snapshot();
    }

    /**
     * Collects the groups and the sources of a {@link ConfigOpts}.
     *
     * <p>Not thread-safe: build on one thread.
     */
    public static final class Builder {
        private final List<OptGroup> groups = new ArrayList<>();
        private ClassLoader classLoader = defaultClassLoader();
        private boolean discover = true;
        private Map<String, String> systemProperties = systemProperties();
        private final List<Path> configFiles = new ArrayList<>();
        private final List<Path> configDirs = new ArrayList<>();
        private Map<String, String> environment = System.getenv();
        private final Map<String, String> commandLine = new LinkedHashMap<>();
        private final Map<String, Object> overrides = new LinkedHashMap<>();
        private String prog;

        private Builder() {
        }

        /** The program's name ({@link ConfigOpts#prog()}); a main's command name by default. */
        public Builder prog(String name) {
            this.prog = name;
            return this;
        }

        /** Registers groups; registering the same group twice is harmless. */
        public Builder register(OptGroup... more) {
            for (OptGroup group : more) {
                add(group);
            }
            return this;
        }

        /**
         * Whether to add the groups of every {@link OptGroupProvider} found by
         * {@link ServiceLoader} in the class loader (default true).
         */
        public Builder discoverGroups(boolean on) {
            this.discover = on;
            return this;
        }

        /** The class loader for {@code reference.conf}, {@code application.conf} and providers. */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** System properties to honour ({@code config.file}, {@code config.resource}, {@code config.url}). */
        public Builder systemProperties(Map<String, String> properties) {
            this.systemProperties = Map.copyOf(properties);
            return this;
        }

        /** Adds a {@code --config-file}; a later file wins over an earlier one. */
        public Builder configFile(Path file) {
            configFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** Adds a {@code --config-dir}: its {@code *.conf} files, in name order, after every config file. */
        public Builder configDir(Path dir) {
            configDirs.add(Objects.requireNonNull(dir, "dir"));
            return this;
        }

        /** The environment to read {@code JEVENTLET_<GROUP>__<OPTION>} from (default: the process's). */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        /** Sets {@code key} (e.g. {@code rpc.response_timeout}) as if given as {@code --key=value}. */
        public Builder commandLine(String key, String value) {
            commandLine.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets an option in code, above every other layer. */
        public <T> Builder override(Opt<T> opt, T value) {
            overrides.put(opt.key(), opt.type().toConfig(Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * Reads every layer and validates every registered option.
         *
         * @throws ConfigValidationException with every problem found
         */
        public ConfigOpts load() {
            List<OptGroup> all = new ArrayList<>(groups);
            if (discover) {
                for (OptGroupProvider provider : ServiceLoader.load(OptGroupProvider.class, classLoader)) {
                    for (OptGroup group : provider.groups()) {
                        if (all.stream().noneMatch(g -> g == group)) {
                            all.add(group);
                        }
                    }
                }
            }
            Set<String> names = new HashSet<>();
            for (OptGroup group : all) {
                if (!names.add(group.name())) {
                    throw new IllegalStateException("two different groups are named " + group.name());
                }
            }
            return new ConfigOpts(all, new ConfigSources(classLoader, systemProperties, configFiles, configDirs,
                    environment, commandLine, overrides), prog);
        }

        private void add(OptGroup group) {
            if (groups.stream().noneMatch(g -> g == group)) {
                groups.add(group);
            }
        }

        /** The context class loader, else this library's. */
        static ClassLoader defaultClassLoader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : ConfigOpts.class.getClassLoader();
        }

        private static Map<String, String> systemProperties() {
            Map<String, String> props = new HashMap<>();
            for (String name : List.of("config.file", "config.resource", "config.url")) {
                String value = System.getProperty(name);
                if (value != null) {
                    props.put(name, value);
                }
            }
            return props;
        }
    }
}

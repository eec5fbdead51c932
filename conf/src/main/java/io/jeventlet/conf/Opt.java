package io.jeventlet.conf;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The declaration of one configuration option: its name, type, help text,
 * range and flags. Its value is never here: defaults live in the declaring
 * library's {@code reference.conf}, and {@link ConfigOpts#get} returns the
 * effective value.
 *
 * <pre>{@code
 * public static final OptGroup GROUP = new OptGroup("agent", "The agent's own settings.");
 * public static final Opt<Double> REPORT_INTERVAL = GROUP.add(
 *     Opt.durationOpt("report_interval").min(1).mutable()
 *        .help("Seconds between two state reports to the server."));
 * }</pre>
 *
 * <p>Thread-safe: immutable; every modifier returns a new declaration.
 * An option belongs to a group once {@link OptGroup#add} has returned it;
 * only that returned instance can be read from a {@link ConfigOpts}.
 *
 * <p>Invariants: names are lowercase {@code [a-z][a-z0-9_]*} (so that the
 * environment variable {@code JEVENTLET_<GROUP>__<OPTION>} maps back to one
 * key); {@code min}/{@code max} are only set on numeric types; a key is
 * {@code <group>.<name>}.
 *
 * @param <T> the Java type of the option's values
 */
public final class Opt<T> {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final String name;
    private final String group;
    private final OptType<T> type;
    private final String help;
    private final boolean required;
    private final boolean secret;
    private final boolean mutable;
    private final List<String> deprecatedNames;
    private final Double min;
    private final boolean minExclusive;
    private final Double max;
    private final List<String> choices;

    private Opt(String name, String group, OptType<T> type, String help, boolean required, boolean secret,
            boolean mutable, List<String> deprecatedNames, Double min, boolean minExclusive, Double max,
            List<String> choices) {
        this.name = name;
        this.group = group;
        this.type = type;
        this.help = help;
        this.required = required;
        this.secret = secret;
        this.mutable = mutable;
        this.deprecatedNames = List.copyOf(deprecatedNames);
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.choices = choices == null ? null : List.copyOf(choices);
    }

    private static <T> Opt<T> declare(String name, OptType<T> type) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "option name '" + name + "' is not valid: must match [a-z][a-z0-9_]*");
        }
        return new Opt<>(name, null, type, "", false, false, false, List.of(), null, false, null, null);
    }

    /** A string option. */
    public static Opt<String> stringOpt(String name) {
        return declare(name, OptType.STRING);
    }

    /** A boolean option: {@code true/false}, {@code yes/no} or {@code on/off}. */
    public static Opt<Boolean> boolOpt(String name) {
        return declare(name, OptType.BOOLEAN);
    }

    /** An integer option; see {@link #min} and {@link #max}. */
    public static Opt<Integer> intOpt(String name) {
        return declare(name, OptType.INTEGER);
    }

    /** A floating-point option; see {@link #min} and {@link #max}. */
    public static Opt<Double> floatOpt(String name) {
        return declare(name, OptType.FLOAT);
    }

    /** A TCP/UDP port: an integer from 0 to 65535. */
    public static Opt<Integer> portOpt(String name) {
        return declare(name, OptType.PORT);
    }

    /**
     * A time span, read as {@code double} seconds (the project's convention).
     * HOCON durations ({@code 5s}, {@code 100ms}, {@code 2m}) and plain
     * numbers of seconds are accepted; {@link #min}/{@link #max} are in seconds.
     */
    public static Opt<Double> durationOpt(String name) {
        return declare(name, OptType.DURATION);
    }

    /** A memory size in bytes: {@code 512k}, {@code 64M}, {@code 1GiB} or a plain number of bytes. */
    public static Opt<Long> memorySizeOpt(String name) {
        return declare(name, OptType.MEMORY_SIZE);
    }

    /** One of the constants of {@code type}, matched ignoring case. */
    public static <E extends Enum<E>> Opt<E> enumOpt(String name, Class<E> type) {
        return declare(name, OptType.enumType(type));
    }

    /** A list of strings: a HOCON list, or a comma-separated string (from env or command line). */
    public static Opt<List<String>> listOpt(String name) {
        return declare(name, OptType.LIST);
    }

    /** A string-to-string map: a HOCON object, or {@code k1:v1,k2:v2} (from env or command line). */
    public static Opt<Map<String, String>> mapOpt(String name) {
        return declare(name, OptType.MAP);
    }

    /** An IPv4 or IPv6 address or a host name, checked by syntax (no DNS lookup). */
    public static Opt<String> hostAddressOpt(String name) {
        return declare(name, OptType.HOST_ADDRESS);
    }

    /** A URL with a scheme, e.g. {@code zmq+tcp://127.0.0.1:9501}. */
    public static Opt<URI> urlOpt(String name) {
        return declare(name, OptType.URL);
    }

    /** This option with its help text, shown in samples and {@code --help}. */
    public Opt<T> help(String text) {
        return new Opt<>(name, group, type, Objects.requireNonNull(text, "help"), required, secret, mutable,
                deprecatedNames, min, minExclusive, max, choices);
    }

    /** This option, which must have a non-null value after all layers are merged. */
    public Opt<T> required() {
        return new Opt<>(name, group, type, help, true, secret, mutable, deprecatedNames, min, minExclusive, max,
                choices);
    }

    /** This option, whose value is shown as {@code ****} in every log line, report and sample. */
    public Opt<T> secret() {
        return new Opt<>(name, group, type, help, required, true, mutable, deprecatedNames, min, minExclusive, max,
                choices);
    }

    /** This option, which {@link ConfigOpts#reload()} may change while the process runs. */
    public Opt<T> mutable() {
        return new Opt<>(name, group, type, help, required, secret, true, deprecatedNames, min, minExclusive, max,
                choices);
    }

    /**
     * This option, also read under older names: {@code "old_name"} (same
     * group) or {@code "old_group.old_name"}. Reading an old name logs one
     * warning naming the new key.
     */
    public Opt<T> deprecatedNames(String... names) {
        List<String> all = new ArrayList<>(deprecatedNames);
        all.addAll(List.of(names));
        return new Opt<>(name, group, type, help, required, secret, mutable, all, min, minExclusive, max, choices);
    }

    /** This option, whose value must be {@code >= min}. */
    public Opt<T> min(double min) {
        requireNumeric("min");
        return new Opt<>(name, group, type, help, required, secret, mutable, deprecatedNames, min, false, max,
                choices);
    }

    /** This option, whose value must be {@code > bound} (e.g. a timeout that must be positive). */
    public Opt<T> greaterThan(double bound) {
        requireNumeric("greaterThan");
        return new Opt<>(name, group, type, help, required, secret, mutable, deprecatedNames, bound, true, max,
                choices);
    }

    /** This option, whose value must be {@code <= max}. */
    public Opt<T> max(double max) {
        requireNumeric("max");
        return new Opt<>(name, group, type, help, required, secret, mutable, deprecatedNames, min, minExclusive, max,
                choices);
    }

    /** This string option, whose value must be one of {@code allowed} (exact match). */
    public Opt<T> choices(String... allowed) {
        if (type != OptType.STRING) {
            throw new IllegalStateException("choices apply to string options, not to " + type.name() + " option "
                    + name + " (use enumOpt)");
        }
        return new Opt<>(name, group, type, help, required, secret, mutable, deprecatedNames, min, minExclusive, max,
                List.of(allowed));
    }

    private void requireNumeric(String what) {
        if (!type.numeric()) {
            throw new IllegalStateException(what + " applies to numeric options, not to " + type.name()
                    + " option " + name);
        }
    }

    /** Binds this declaration to a group; called by {@link OptGroup#add} only. */
    Opt<T> inGroup(String groupName) {
        if (group != null) {
            throw new IllegalStateException("option " + key() + " is already in group " + group);
        }
        return new Opt<>(name, groupName, type, help, required, secret, mutable, deprecatedNames, min, minExclusive,
                max, choices);
    }

    /** The option's name within its group, e.g. {@code report_interval}. */
    public String name() {
        return name;
    }

    /** The group's name, or null for a declaration not yet added to a group. */
    public String group() {
        return group;
    }

    /** The full HOCON path, {@code <group>.<name>}. */
    public String key() {
        return group == null ? name : group + "." + name;
    }

    /** The help text; empty when none was given. */
    public String helpText() {
        return help;
    }

    /** Whether a value must be present. */
    public boolean isRequired() {
        return required;
    }

    /** Whether the value is masked in every output. */
    public boolean isSecret() {
        return secret;
    }

    /** Whether {@link ConfigOpts#reload()} may change the value. */
    public boolean isMutable() {
        return mutable;
    }

    /** Older keys still read for this option, each as a full {@code group.name} path. */
    public List<String> deprecatedKeys() {
        return deprecatedNames.stream().map(n -> n.contains(".") || group == null ? n : group + "." + n).toList();
    }

    /** The environment variable that sets this option: {@code JEVENTLET_<GROUP>__<OPTION>}. */
    public String envVar() {
        return ConfigSources.ENV_PREFIX + (group + "__" + name).toUpperCase(java.util.Locale.ROOT);
    }

    OptType<T> type() {
        return type;
    }

    /** The value as shown in logs and reports: {@code ****} for secrets. */
    String display(T value) {
        if (value == null) {
            return "<none>";
        }
        return secret ? "****" : type.format(value);
    }

    /** The range and choices as one line for samples, e.g. {@code >= 1, <= 65535}; empty if none. */
    String constraints() {
        List<String> parts = new ArrayList<>();
        if (min != null) {
            parts.add((minExclusive ? "> " : ">= ") + number(min));
        }
        if (max != null) {
            parts.add("<= " + number(max));
        }
        List<String> allowed = choices != null ? choices : type.enumChoices();
        if (allowed != null) {
            parts.add("one of " + allowed);
        }
        return String.join(", ", parts);
    }

    /** The rule {@code value} breaks, or null when it satisfies the range and choices. */
    String violation(T value) {
        if (type.numeric()) {
            double v = type.magnitude(value);
            if (min != null && (minExclusive ? v <= min : v < min)) {
                return "must be " + (minExclusive ? "> " : ">= ") + number(min);
            }
            if (max != null && v > max) {
                return "must be <= " + number(max);
            }
        }
        if (choices != null && !choices.contains(value)) {
            return "must be one of " + choices;
        }
        return null;
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public String toString() {
        return "Opt[" + key() + ": " + type.name() + "]";
    }
}

package io.jeventlet.conf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named group of options, the unit a library declares: every option of
 * group {@code rpc} lives under the HOCON object {@code rpc { ... }}, and any
 * other key under that object is reported as unknown at start.
 *
 * <p>A library declares its group as static final fields and makes it known
 * to {@link ConfigOpts} either explicitly ({@link ConfigOpts.Builder#register})
 * or through an {@link OptGroupProvider} listed in
 * {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}.
 *
 * <p>Thread-safe: options are added while the declaring class initialises;
 * {@link #add} is synchronized and {@link #options()} returns a snapshot.
 *
 * <p>Invariants: option names are unique within the group, and no option's
 * deprecated name equals another option's name.
 */
public final class OptGroup {

    private final String name;
    private final String help;
    private final Map<String, Opt<?>> options = new LinkedHashMap<>();

    /**
     * A new, empty group.
     *
     * @param name lowercase {@code [a-z][a-z0-9_]*}, the top-level HOCON key
     * @param help one or two sentences, shown at the top of the group in samples
     */
    public OptGroup(String name, String help) {
        Objects.requireNonNull(name, "name");
        if (!Opt.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("group name '" + name + "' is not valid: must match [a-z][a-z0-9_]*");
        }
        this.name = name;
        this.help = Objects.requireNonNull(help, "help");
    }

    /**
     * Adds an option to this group and returns the bound option, the one to
     * keep in a static final field and pass to {@link ConfigOpts#get}.
     *
     * @throws IllegalArgumentException if an option of that name is already declared here
     */
    public synchronized <T> Opt<T> add(Opt<T> option) {
        Opt<T> bound = option.inGroup(name);
        if (options.containsKey(bound.name())) {
            throw new IllegalArgumentException("option " + bound.key() + " is declared twice");
        }
        options.put(bound.name(), bound);
        return bound;
    }

    /** The group's name, the top-level HOCON key. */
    public String name() {
        return name;
    }

    /** The group's help text. */
    public String help() {
        return help;
    }

    /** The options in declaration order. */
    public synchronized List<Opt<?>> options() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    /** The option of that name, or null. */
    public synchronized Opt<?> option(String optionName) {
        return options.get(optionName);
    }

    @Override
    public String toString() {
        return "OptGroup[" + name + "]";
    }
}

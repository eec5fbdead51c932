package io.jeventlet.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link LayeredConfig} against the declared groups and turns it
 * into typed values: every option's type, range and presence, and every key
 * under a declared group that no option claims.
 *
 * <p>Thread-safe: stateless apart from its immutable inputs.
 *
 * <p>Implementation notes: it never stops at the first problem; it collects
 * all of them, because an operator fixing a config file wants the whole list
 * at once. A deprecated key is resolved by layer: the old key wins only when
 * it was set in a strictly higher layer than the new one.
 */
final class OptionValidator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OptionValidator.class);

    /** The typed values of one load, or the problems that prevent it. */
    record Result(Snapshot snapshot, List<ConfigProblem> problems, List<String> deprecations) {
    }

    private final Collection<OptGroup> groups;

    OptionValidator(Collection<OptGroup> groups) {
        this.groups = groups;
    }

    Result validate(ConfigSources.Reading reading) {
        List<ConfigProblem> problems = new ArrayList<>(reading.problems());
        List<String> deprecations = new ArrayList<>();
        LayeredConfig layered = reading.config();
        Config resolved;
        try {
            resolved = layered.resolve();
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(null, LayeredConfig.describe(e.origin()), null,
                    "cannot be resolved: " + e.getMessage()));
            return new Result(null, problems, deprecations);
        }
        checkUnknownGroups(layered, problems);
        Map<Opt<?>, Object> values = new HashMap<>();
        Map<Opt<?>, String> sources = new HashMap<>();
        Map<Opt<?>, ConfigLayer> layers = new HashMap<>();
        for (OptGroup group : groups) {
            if (!checkGroupShape(resolved, group, problems)) {
                continue;
            }
            checkUnknownKeys(resolved, group, problems);
            for (Opt<?> opt : group.options()) {
                read(opt, layered, resolved, values, sources, layers, problems, deprecations);
            }
        }
        Snapshot snapshot = problems.isEmpty() ? new Snapshot(values, sources, layers, resolved) : null;
        return new Result(snapshot, problems, deprecations);
    }

    private <T> void read(Opt<T> opt, LayeredConfig layered, Config resolved, Map<Opt<?>, Object> values,
            Map<Opt<?>, String> sources, Map<Opt<?>, ConfigLayer> layers, List<ConfigProblem> problems,
            List<String> deprecations) {
        String path = opt.key();
        ConfigLayer layer = layered.layerOf(path);
        for (String old : opt.deprecatedKeys()) {
            ConfigLayer oldLayer = layered.layerOf(old);
            if (oldLayer != null && (layer == null || oldLayer.compareTo(layer) > 0)) {
                path = old;
                layer = oldLayer;
            }
        }
        if (!present(resolved, path)) {
            values.put(opt, null);
            if (opt.isRequired()) {
                problems.add(new ConfigProblem(opt.key(), null, null, "is required but has no value; set it in a"
                        + " config file, as " + opt.envVar() + " or with --" + opt.key() + "=<value>"));
            }
            return;
        }
        ConfigValue raw = resolved.getValue(path);
        String source = LayeredConfig.describe(raw.origin());
        if (!path.equals(opt.key())) {
            deprecations.add("Option " + path + " (" + source + ") is deprecated; use " + opt.key() + " instead");
        }
        String shown = opt.isSecret() ? "****" : render(raw);
        try {
            T value = opt.type().parse(raw);
            String rule = opt.violation(value);
            if (rule != null) {
                problems.add(new ConfigProblem(path, source, shown, rule));
            }
            values.put(opt, value);
            sources.put(opt, source);
            layers.put(opt, layer);
        } catch (OptType.InvalidValue e) {
            problems.add(new ConfigProblem(path, source, shown, e.getMessage()));
        }
    }

    private static boolean present(Config resolved, String path) {
        try {
            return resolved.hasPath(path);
        } catch (ConfigException e) {
            return false;
        }
    }

    private static String render(ConfigValue raw) {
        if (raw.valueType() == ConfigValueType.STRING) {
            return (String) raw.unwrapped();
        }
        return raw.render(ConfigRenderOptions.concise());
    }

    /** A group's key must hold an object; anything else hides all its options. */
    private static boolean checkGroupShape(Config resolved, OptGroup group, List<ConfigProblem> problems) {
        if (!resolved.hasPathOrNull(group.name()) || resolved.getIsNull(group.name())) {
            return true;
        }
        ConfigValue value = resolved.getValue(group.name());
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(new ConfigProblem(group.name(), LayeredConfig.describe(value.origin()), render(value),
                    "must be an object holding the options of group " + group.name()));
            return false;
        }
        return true;
    }

    private static void checkUnknownKeys(Config resolved, OptGroup group, List<ConfigProblem> problems) {
        if (!resolved.hasPath(group.name())) {
            return;
        }
        Set<String> known = new HashSet<>();
        for (Opt<?> opt : group.options()) {
            known.add(opt.name());
            for (String old : opt.deprecatedKeys()) {
                List<String> parts = ConfigUtil.splitPath(old);
                if (parts.size() == 2 && parts.get(0).equals(group.name())) {
                    known.add(parts.get(1));
                }
            }
        }
        for (Map.Entry<String, ConfigValue> e : resolved.getObject(group.name()).entrySet()) {
            if (!known.contains(e.getKey())) {
                List<String> names = group.options().stream().map(Opt::name).toList();
                problems.add(new ConfigProblem(group.name() + "." + e.getKey(),
                        LayeredConfig.describe(e.getValue().origin()), null,
                        "unknown option of group " + group.name() + suggestion(e.getKey(), names, group.name() + ".")));
            }
        }
    }

    /**
     * Keys set by environment, command line or code under a group nobody declared are typos, not foreign config:
     * errors. A config file's unknown group may belong to another program sharing the file (as OpenStack's
     * files are shared), so it is a warning naming the file and line, which still catches a misspelt group.
     */
    private void checkUnknownGroups(LayeredConfig layered, List<ConfigProblem> problems) {
        Map<String, OptGroup> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.put(g.name(), g));
        for (Map.Entry<String, ConfigValue> e : layered.layer(ConfigLayer.CONFIG_FILE).root().entrySet()) {
            if (!byName.containsKey(e.getKey())) {
                LOG.warn("{}: unknown group '{}' is ignored{} (declared groups are {})",
                        LayeredConfig.describe(e.getValue().origin()), e.getKey(),
                        suggestion(e.getKey(), byName.keySet(), ""), byName.keySet());
            }
        }
        for (ConfigLayer layer : List.of(ConfigLayer.ENVIRONMENT, ConfigLayer.COMMAND_LINE, ConfigLayer.OVERRIDE)) {
            for (Map.Entry<String, ConfigValue> e : layered.layer(layer).root().entrySet()) {
                if (!byName.containsKey(e.getKey())) {
                    problems.add(new ConfigProblem(e.getKey(), LayeredConfig.describe(leafOrigin(e.getValue())), null,
                            "unknown group; declared groups are " + byName.keySet()
                                    + suggestion(e.getKey(), byName.keySet(), "")));
                }
            }
        }
    }

    /** The origin of the first leaf under {@code value}: objects built by {@code withValue} have a synthetic one. */
    private static com.typesafe.config.ConfigOrigin leafOrigin(ConfigValue value) {
        ConfigValue leaf = value;
        while (leaf instanceof com.typesafe.config.ConfigObject object && !object.isEmpty()) {
            leaf = object.values().iterator().next();
        }
        return leaf.origin();
    }

    /** {@code "; did you mean rpc.response_timeout?"} for the closest name, or empty if none is close. */
    static String suggestion(String typo, Collection<String> names, String prefix) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(typo, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        int tolerance = Math.max(2, typo.length() / 3);
        return best != null && bestDistance <= tolerance ? "; did you mean " + prefix + best + "?" : "";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package io.jeventlet.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The configuration as read from every layer: each layer's own (unresolved)
 * config, kept apart so that a key can be traced to the layer that set it,
 * and their merge.
 *
 * <p>Thread-safe: immutable after construction.
 *
 * <p>Implementation notes: substitutions ({@code ${rpc.host}}) may refer
 * across layers, so only the merge is resolved; presence in a single layer is
 * asked of its unresolved config, where a substitution still counts as set.
 */
final class LayeredConfig {

    private final Map<ConfigLayer, Config> layers;
    private final Config merged;

    /** Merges {@code layers} (a later layer wins); resolving is left to {@link #resolve()}. */
    LayeredConfig(Map<ConfigLayer, Config> layers) {
        EnumMap<ConfigLayer, Config> copy = new EnumMap<>(ConfigLayer.class);
        copy.putAll(layers);
        this.layers = Collections.unmodifiableMap(copy);
        Config all = ConfigFactory.empty();
        for (Config layer : copy.values()) {
            all = layer.withFallback(all);
        }
        this.merged = all;
    }

    /** The config of one layer, empty if the layer set nothing. */
    Config layer(ConfigLayer layer) {
        return layers.getOrDefault(layer, ConfigFactory.empty());
    }

    /** The merge with every substitution resolved; throws ConfigException when one cannot be. */
    Config resolve() {
        return merged.resolve();
    }

    /** The highest layer that sets {@code path} (null values count), or null if none does. */
    ConfigLayer layerOf(String path) {
        ConfigLayer top = null;
        for (Map.Entry<ConfigLayer, Config> e : layers.entrySet()) {
            if (sets(e.getValue(), path)) {
                top = e.getKey();
            }
        }
        return top;
    }

    private static boolean sets(Config config, String path) {
        try {
            return config.hasPathOrNull(path);
        } catch (ConfigException.NotResolved e) {
            return true;
        } catch (ConfigException e) {
            // A parent of the path holds a scalar: the path itself is not set here.
            return false;
        }
    }

    /**
     * Where a value came from, for reports: {@code agent.conf:12} for a file,
     * {@code reference.conf:3} for a resource, else the origin's description
     * (e.g. {@code environment variable JEVENTLET_RPC__RESPONSE_TIMEOUT}).
     */
    static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return null;
        }
        String line = origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "";
        if (origin.filename() != null) {
            return origin.filename() + line;
        }
        if (origin.resource() != null) {
            return origin.resource() + line;
        }
        if (origin.url() != null) {
            return origin.url() + line;
        }
        return origin.description();
    }
}

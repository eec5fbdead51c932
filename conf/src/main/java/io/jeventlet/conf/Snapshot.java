package io.jeventlet.conf;

import com.typesafe.config.Config;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The typed values of every declared option at one moment, with where each
 * came from. A reload builds a new snapshot and publishes it whole, so a
 * reader never sees half of a reload.
 *
 * <p>Thread-safe: immutable.
 *
 * <p>Invariants: {@code values} has a key for every declared option (the
 * value is null when the option is unset); {@code sources} and
 * {@code layers} have keys only for set options.
 */
record Snapshot(Map<Opt<?>, Object> values, Map<Opt<?>, String> sources, Map<Opt<?>, ConfigLayer> layers,
        Config config) {

    Snapshot {
        // HashMap, not Map.copyOf: an unset option maps to null.
        values = Collections.unmodifiableMap(new HashMap<>(values));
        sources = Map.copyOf(sources);
        layers = Map.copyOf(layers);
    }
}

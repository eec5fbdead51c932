package io.jeventlet.rpc.rabbit;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.Opt;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code rabbit} group's values for one transport: the configuration,
 * overridden by the transport URL's query parameters of the same names, as
 * oslo's {@code ConfigOptsProxy} does ({@code rabbit://h/?rabbit_qos_prefetch_count=10}).
 * A query parameter that names no option of the group, or whose value does
 * not parse, is refused by name. Immutable and thread-safe.
 *
 * <p>{@code ssl} is accepted in the query as oslo accepts it there.
 */
final class RabbitSettings {
    private final ConfigOpts conf;
    private final Map<String, String> query;

    RabbitSettings(ConfigOpts conf, Map<String, String> query) {
        this.conf = conf;
        this.query = query;
        for (String name : query.keySet()) {
            if (RabbitOpts.RABBIT.option(name) == null) {
                throw new IllegalArgumentException("transport URL query parameter '" + name
                        + "' is not an option of the rabbit group (oslo's [oslo_messaging_rabbit])");
            }
        }
    }

    ConfigOpts conf() {
        return conf;
    }

    /** The value of {@code opt}: the URL's query parameter if given, else the configuration's. */
    @SuppressWarnings("unchecked")
    <T> T get(Opt<T> opt) {
        String text = query.get(opt.name());
        T configured = conf.get(opt);
        if (text == null) {
            return configured;
        }
        try {
            Object v;
            if (configured instanceof Boolean) {
                String t = text.trim().toLowerCase(Locale.ROOT);
                v = switch (t) {
                    case "true", "1", "yes", "on" -> true;
                    case "false", "0", "no", "off" -> false;
                    default -> throw new IllegalArgumentException("not a boolean");
                };
            } else if (configured instanceof Integer) {
                v = Integer.valueOf(text.trim());
            } else if (configured instanceof Double) {
                v = Double.valueOf(text.trim().endsWith("s") ? text.trim().substring(0, text.trim().length() - 1)
                        : text.trim());
            } else {
                v = text;
            }
            return (T) v;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("transport URL query parameter " + opt.name() + "='" + text
                    + "' is not a valid value for rabbit." + opt.name() + " (" + e.getMessage() + ")", e);
        }
    }
}

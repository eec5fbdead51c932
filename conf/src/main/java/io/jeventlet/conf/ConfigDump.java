package io.jeventlet.conf;

import java.io.PrintWriter;

/**
 * The text of {@code --dump-config}: every registered option's effective
 * value as {@code group.option = value}, secrets as {@code ****}, each with
 * the layer and place it came from.
 *
 * <p>Thread-safe: stateless.
 */
final class ConfigDump {
    private ConfigDump() {
    }

    static void print(ConfigOpts conf, PrintWriter out) {
        out.println("# Effective configuration (secrets shown as ****); lowest to highest layer: reference,"
                + " application, config file, environment, command line, override");
        for (OptGroup group : conf.groups()) {
            out.println();
            out.println("# " + group.name() + ": " + group.help());
            for (Opt<?> opt : group.options()) {
                ConfigLayer layer = conf.layerOf(opt);
                String from = layer == null ? "unset" : layer.label() + ", " + conf.sourceOf(opt);
                out.println(opt.key() + " = " + shown(conf, opt) + "    # " + from);
            }
        }
        out.flush();
    }

    private static <T> String shown(ConfigOpts conf, Opt<T> opt) {
        return ConfigOpts.display(opt, conf.get(opt));
    }
}

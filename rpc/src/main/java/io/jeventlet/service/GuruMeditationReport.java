package io.jeventlet.service;

import io.jeventlet.conf.ConfigOpts;
import io.jeventlet.conf.Opt;
import io.jeventlet.conf.OptGroup;
import io.jeventlet.hubs.Hub;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * oslo.reports' Guru Meditation Report for a launcher: what the process is
 * doing right now, as one text block for the log. Sections: package and
 * process, uptime and counters, every hub's green threads with their state
 * and stack (one section per hub, naming the services on it), the OS
 * threads with their stacks, and the effective configuration with secrets
 * shown as {@code ****}.
 *
 * <p>Thread-safe: it only reads thread-safe snapshots ({@link Hub#dump()},
 * {@link Thread#getAllStackTraces()}, {@link ConfigOpts#get}).
 */
final class GuruMeditationReport {
    private static final String RULE = "========================================================================";

    private GuruMeditationReport() {
    }

    /** The report's text; {@code counters} are listed in their order. */
    static String build(ConfigOpts conf, Hub controlHub, List<ServiceRunner> runners, double uptimeSeconds,
            Map<String, Object> counters) {
        StringBuilder b = new StringBuilder();
        section(b, "Guru Meditation");
        b.append("Generated at ").append(Instant.now()).append('\n');
        b.append("Process ").append(ProcessHandle.current().pid()).append(", ")
                .append(Runtime.version()).append(", ").append(ManagementFactory.getRuntimeMXBean().getName()).append('\n');

        section(b, "Uptime and counters");
        b.append("uptime = ").append(ServiceRunner.seconds(uptimeSeconds)).append(" s\n");
        counters.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));

        section(b, "Hubs (green threads)");
        Map<Hub, StringBuilder> byHub = new LinkedHashMap<>();
        byHub.put(controlHub, new StringBuilder("launcher"));
        for (ServiceRunner r : runners) {
            Hub h = r.hub();
            if (h != null) {
                StringBuilder names = byHub.computeIfAbsent(h, k -> new StringBuilder());
                if (!names.isEmpty()) {
                    names.append(", ");
                }
                names.append(r.name()).append(" [").append(r.state()).append(']');
            } else {
                b.append(r.name()).append(" [").append(r.state()).append("] has no hub yet\n");
            }
        }
        int i = 0;
        for (Map.Entry<Hub, StringBuilder> e : byHub.entrySet()) {
            b.append("-- hub ").append(i++).append(" (").append(e.getValue()).append(")\n");
            b.append(e.getKey().dump()).append('\n');
        }

        section(b, "OS threads");
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        stacks.keySet().stream().sorted(Comparator.comparingLong(Thread::threadId)).forEach(t -> {
            b.append('"').append(t.getName()).append("\" #").append(t.threadId())
                    .append(t.isDaemon() ? " daemon" : "").append(' ').append(t.getState()).append('\n');
            for (StackTraceElement frame : stacks.get(t)) {
                b.append("    at ").append(frame).append('\n');
            }
        });

        section(b, "Configuration");
        for (OptGroup group : conf.groups()) {
            for (Opt<?> opt : group.options()) {
                b.append(opt.key()).append(" = ").append(shown(conf, opt)).append('\n');
            }
        }
        b.append(RULE);
        return b.toString();
    }

    /** The option's effective value as logs may show it ({@code ****} for a secret). */
    static <T> String shown(ConfigOpts conf, Opt<T> opt) {
        return ConfigOpts.display(opt, conf.get(opt));
    }

    private static void section(StringBuilder b, String title) {
        b.append(RULE).append('\n').append("====  ").append(title).append('\n').append(RULE).append('\n');
    }
}

package io.jeventlet.rpc;

import java.util.regex.Pattern;

/**
 * Where a message goes: oslo.messaging's {@code Target}. A client's target
 * names at least a topic; a server's names a topic and a server. A null
 * component is unset.
 *
 * <ul>
 *   <li>{@code exchange} — the exchange the topic lives in (the transport's
 *       {@code rpc.control_exchange} when null);</li>
 *   <li>{@code topic} — the service's name; requests to it go to one of its
 *       servers;</li>
 *   <li>{@code server} — one server of the topic ({@code topic.server});</li>
 *   <li>{@code fanout} — every server of the topic gets the message (casts only);</li>
 *   <li>{@code namespace}, {@code version} — which endpoint serves it;
 *       {@code version} is {@code "MAJOR.MINOR"}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; the withers return new targets.
 */
public record Target(String exchange, String topic, String server, boolean fanout, String namespace, String version) {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");

    /** Checks {@code version}'s form. */
    public Target {
        checkVersion(version);
    }

    /** A target for {@code topic}, every other component unset. */
    public Target(String topic) {
        this(null, topic, null, false, null, null);
    }

    public Target withExchange(String value) {
        return new Target(value, topic, server, fanout, namespace, version);
    }

    public Target withTopic(String value) {
        return new Target(exchange, value, server, fanout, namespace, version);
    }

    public Target withServer(String value) {
        return new Target(exchange, topic, value, fanout, namespace, version);
    }

    public Target withFanout(boolean value) {
        return new Target(exchange, topic, server, value, namespace, version);
    }

    public Target withNamespace(String value) {
        return new Target(exchange, topic, server, fanout, value, version);
    }

    public Target withVersion(String value) {
        return new Target(exchange, topic, server, fanout, namespace, value);
    }

    /**
     * Checks that {@code version} is null or {@code "MAJOR.MINOR"}.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static String checkVersion(String version) {
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' is not of the form MAJOR.MINOR (e.g. \"1.3\")");
        }
        return version;
    }
}

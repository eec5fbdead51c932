package io.jeventlet.rpc.rabbit;

import io.jeventlet.rpc.spi.TransportUrl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The brokers of a {@code rabbit://} URL in the order to try them, each with
 * its own credentials: oslo's rule is that a host without a user takes the
 * first host's, and {@code guest/guest} when none has one. Immutable.
 *
 * @param hosts       the brokers, in the URL's order
 * @param virtualHost the AMQP virtual host; {@code "/"} when the URL's path is empty
 * @param shuffle     {@code kombu_failover_strategy = shuffle}: try them in random order
 */
record BrokerAddresses(List<Broker> hosts, String virtualHost, boolean shuffle) {

    /** One broker of the list. */
    record Broker(String host, int port, String username, String password) {
        @Override
        public String toString() {
            // Never the password: this appears in logs and errors.
            return username + "@" + hostPort();
        }

        /** {@code host:port} ({@code [v6]:port}). */
        String hostPort() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static BrokerAddresses from(TransportUrl url, boolean ssl, String failoverStrategy) {
        int defaultPort = ssl ? 5671 : 5672;
        TransportUrl.Host first = url.hosts().get(0);
        String user0 = first.username() != null ? first.username() : "guest";
        String pass0 = first.password() != null ? first.password() : (first.username() != null ? "" : "guest");
        List<Broker> hosts = new ArrayList<>();
        for (TransportUrl.Host h : url.hosts()) {
            String user = h.username() != null ? h.username() : user0;
            String pass = h.username() != null ? (h.password() != null ? h.password() : "") : pass0;
            hosts.add(new Broker(h.hostname(), h.port() >= 0 ? h.port() : defaultPort, user, pass));
        }
        String vhost = url.virtualHost().isEmpty() ? "/" : url.virtualHost();
        return new BrokerAddresses(Collections.unmodifiableList(hosts), vhost, "shuffle".equals(failoverStrategy));
    }

    /**
     * The same brokers in a random order, as oslo shuffles a URL's hosts for
     * each connection: the connections of many processes spread over a
     * cluster's nodes instead of all landing on the first.
     */
    BrokerAddresses shuffledOnce() {
        if (hosts.size() < 2) {
            return this;
        }
        List<Broker> order = new ArrayList<>(hosts);
        Collections.shuffle(order);
        return new BrokerAddresses(Collections.unmodifiableList(order), virtualHost, shuffle);
    }

    /** The brokers in the order of the next round of attempts, starting after {@code lastIndex}. */
    List<Broker> round(int lastIndex) {
        List<Broker> order = new ArrayList<>(hosts.size());
        if (shuffle) {
            order.addAll(hosts);
            Collections.shuffle(order);
            return order;
        }
        for (int i = 1; i <= hosts.size(); i++) {
            order.add(hosts.get(Math.floorMod(lastIndex + i, hosts.size())));
        }
        return order;
    }

    @Override
    public String toString() {
        return "rabbit://" + String.join(",", hosts.stream().map(Broker::toString).toList())
                + "/" + ("/".equals(virtualHost) ? "" : virtualHost);
    }
}

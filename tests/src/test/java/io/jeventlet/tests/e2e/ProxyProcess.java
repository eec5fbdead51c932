package io.jeventlet.tests.e2e;

import io.jeventlet.rpc.zmq.ZmqProxy;
import java.util.concurrent.CountDownLatch;

/**
 * A ZeroMQ proxy as its own process for the end-to-end tests: binds the
 * endpoint given as the only argument, prints {@code proxy ready <url>},
 * and serves until SIGTERM (a shutdown hook closes it) or SIGKILL.
 */
public final class ProxyProcess {
    private ProxyProcess() {}

    /** Runs the proxy bound to {@code args[0]} (e.g. {@code tcp://127.0.0.1:5555}). */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: ProxyProcess tcp://HOST:PORT");
            System.exit(2);
        }
        ZmqProxy proxy = ZmqProxy.start(args[0]);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            done.countDown();
        }, "proxy-shutdown"));
        System.err.println("proxy ready " + proxy.transportUrl());
        done.await();
    }
}

/**
 * The {@code inproc://NAME} driver: buses inside one JVM, with no sockets and
 * no threads of their own, so that RPC-driven code runs in a virtual-clock
 * hub's time. See {@link io.jeventlet.rpc.inproc.InprocDriverFactory}.
 */
package io.jeventlet.rpc.inproc;

/**
 * oslo.messaging's RPC model on green threads: {@link io.jeventlet.rpc.Transport},
 * {@link io.jeventlet.rpc.RpcClient}, {@link io.jeventlet.rpc.RpcServer},
 * {@link io.jeventlet.rpc.Target}, {@link io.jeventlet.rpc.Context}, the
 * endpoint annotations and the errors, all in oslo.messaging's JSON envelope
 * ({@link io.jeventlet.rpc.Envelope}). Drivers plug in through
 * {@link io.jeventlet.rpc.spi}. The project's {@code docs/RPC.md} describes
 * the wire format and what each bus guarantees.
 */
package io.jeventlet.rpc;

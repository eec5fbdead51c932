/**
 * The {@code rabbit://} driver: RabbitMQ through its official Java client,
 * declaring what oslo.messaging's rabbit driver declares and carrying its
 * envelope, so that Python oslo.messaging services and jeventlet services
 * call each other on one broker. Publisher confirms and {@code mandatory}
 * publishing make a call to a target with no queue fail at once; the
 * driver's own reconnect loop re-declares everything after a broker
 * restart and ends the calls it cut off. Options: {@link
 * io.jeventlet.rpc.rabbit.RabbitOpts} (group {@code rabbit}); entry point:
 * {@link io.jeventlet.rpc.rabbit.RabbitDriverFactory}; the project's
 * {@code docs/RABBIT.md} says what the bus guarantees.
 */
package io.jeventlet.rpc.rabbit;

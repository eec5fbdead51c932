package io.jeventlet.rpc;

/** The request cannot reach any server: no live server registered for the target (inproc, zmq) or no queue bound for it (rabbit). Raised at once, without waiting out the timeout. */
public class MessageDeliveryFailure extends MessagingException {
    private static final long serialVersionUID = 1L;

    public MessageDeliveryFailure(String message) {
        super(message);
    }

    public MessageDeliveryFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

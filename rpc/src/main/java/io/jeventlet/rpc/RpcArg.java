package io.jeventlet.rpc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the request argument an endpoint method's parameter is bound to (else its compiled name). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RpcArg {
    /** The argument's name on the wire. */
    String value();
}

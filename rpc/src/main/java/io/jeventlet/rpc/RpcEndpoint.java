package io.jeventlet.rpc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The namespace and version an endpoint class serves (oslo's endpoint
 * {@code target}). Without it: no namespace and version {@code "1.0"}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcEndpoint {
    /** The namespace; empty means none. */
    String namespace() default "";

    /** {@code "MAJOR.MINOR"}: requests for the same major and a minor up to this one are served. */
    String version() default "1.0";
}

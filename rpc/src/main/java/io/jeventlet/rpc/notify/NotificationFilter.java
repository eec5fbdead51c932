package io.jeventlet.rpc.notify;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Restricts a notification endpoint to the notifications whose publisher and
 * event type match: oslo's {@code NotificationFilter} ({@code filter_rule}).
 * Each element is a {@link java.util.regex.Pattern} that must match from the
 * start of the value, like Python's {@code re.match}
 * ({@code Matcher.lookingAt}: anchor the end with {@code $} to match
 * exactly); an absent (empty) element matches anything. A value that is not
 * a string (a missing publisher) never matches a set element, as oslo's.
 * Patterns are compiled once, when the listener is built; a bad one is an
 * {@link IllegalArgumentException} naming the endpoint and the pattern.
 *
 * <pre>{@code
 * @NotificationFilter(publisherId = "^network\\.", eventType = "router\\.(create|update)\\.end$")
 * public final class RouterAudit {
 *     public void info(Context ctx, String publisherId, String eventType, Map<String, Object> payload,
 *                      Map<String, Object> metadata) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NotificationFilter {
    /** Regex the publisher id must match from its start; empty: any. */
    String publisherId() default "";

    /** Regex the event type must match from its start; empty: any. */
    String eventType() default "";
}

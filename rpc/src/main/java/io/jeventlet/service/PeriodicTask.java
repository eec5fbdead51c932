package io.jeventlet.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link PeriodicTasks} subclass as a periodic task
 * (oslo.service's {@code @periodic_task}). The method is
 * {@code void name(Context ctx)}, public or not.
 *
 * <p>Thread-safe: an annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PeriodicTask {
    /**
     * Seconds between two runs, start to start; 0 means
     * {@link PeriodicTasks#DEFAULT_INTERVAL} (oslo's rule, so a task never
     * runs back to back by mistake); negative disables the task.
     */
    double spacing() default 0;

    /** Run at the first {@code runPeriodicTasks} call instead of one spacing later. */
    boolean runImmediately() default false;

    /** False disables the task (logged once when the tasks are collected). */
    boolean enabled() default true;

    /** The task's name in log lines; default the method's name. */
    String name() default "";
}

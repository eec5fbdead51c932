package io.jeventlet.rpc;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;

/**
 * Turns a reply's failure into what the caller throws: oslo's
 * {@code deserialize_remote_exception} with {@code rpc.allowed_remote_exmods}.
 * When the failure's module is in the list and {@code module + "." + class}
 * names a class the client's class loader finds (the thread's context class
 * loader, else this module's), that extends {@link RuntimeException}, is
 * public and concrete and has a public {@code (String message)}
 * constructor, the caller gets an instance of it (message = the remote
 * message) whose {@code getCause()} is the {@link RemoteError}; in every
 * other case the {@link RemoteError} itself. Thread-safe (immutable).
 */
final class RemoteErrors {
    private final Set<String> allowed;

    RemoteErrors(List<String> allowedModules) {
        this.allowed = Set.copyOf(allowedModules);
    }

    /** The exception a caller throws for {@code failure}. */
    RuntimeException toException(Failure failure) {
        RemoteError remote = failure.toRemoteError();
        if (failure.module().isEmpty() || !allowed.contains(failure.module()) || failure.className().isEmpty()) {
            return remote;
        }
        Class<?> type = find(failure.module() + "." + failure.className());
        if (type == null || !RuntimeException.class.isAssignableFrom(type) || !Modifier.isPublic(type.getModifiers())
                || Modifier.isAbstract(type.getModifiers())) {
            return remote;
        }
        try {
            Constructor<?> ctor = type.getConstructor(String.class);
            RuntimeException e = (RuntimeException) ctor.newInstance(failure.message());
            if (e.getCause() == null) {
                e.initCause(remote);
            }
            return e.getCause() == remote ? e : remote;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // No usable (String) constructor, or it failed: the caller still learns everything from the RemoteError.
            return remote;
        }
    }

    private static Class<?> find(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, RemoteErrors.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }
}

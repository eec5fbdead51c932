package io.jeventlet;

import io.jeventlet.hubs.Hub;

/**
 * The hub check of the hub-confined primitives (DESIGN.md, invariant 1).
 * Each primitive keeps a {@code Hub} field, null until its first use that
 * blocks or wakes a waiter, which binds it to the caller's hub; every later
 * such use compares the caller's hub with it: one field compare. A use from
 * another hub is an {@link IllegalStateException} naming both hubs and the
 * door between them.
 *
 * <p>Calls that neither block nor wake anyone (a {@code put} into a queue
 * with room and no getter, an {@code Event.ready()}) are not checked: they
 * cost what they cost without a hub at all, and the first cross-hub use that
 * could lose a wake-up is caught.
 */
final class Confinement {
    private Confinement() {}

    /**
     * The hub {@code what} is bound to after a use from {@code caller}: {@code caller}
     * if it was unbound, else {@code bound} if they agree.
     *
     * @throws IllegalStateException if {@code what} belongs to another hub
     */
    static Hub bind(Hub bound, Hub caller, Object what) {
        if (bound == caller || bound == null) {
            return caller;
        }
        throw wrongHub(bound, caller, what);
    }

    static IllegalStateException wrongHub(Hub bound, Hub caller, Object what) {
        return new IllegalStateException(what.getClass().getSimpleName() + " is confined to " + bound
                + " but was used on " + caller + "; hand work to its hub with Hub.callThreadsafe");
    }
}

package io.jeventlet.sample.l3;

import java.util.Objects;

/**
 * A router as the plugin describes it: its id and a revision number that
 * the plugin raises on every change, so the agent can tell which data it
 * has configured.
 *
 * <p>Thread rule: immutable, safe anywhere.
 *
 * @param id the router's id
 * @param revision the plugin's revision of it, starting at 1
 */
public record Router(String id, long revision) {

    /** Checks that there is an id and that the revision is at least 1. */
    public Router {
        Objects.requireNonNull(id, "id");
        if (revision < 1) {
            throw new IllegalArgumentException("revision = " + revision + " is not valid: must be >= 1");
        }
    }

    /** The same router one revision later. */
    public Router nextRevision() {
        return new Router(id, revision + 1);
    }
}

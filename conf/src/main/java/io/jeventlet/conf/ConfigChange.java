package io.jeventlet.conf;

/**
 * The change of one option's value by a reload, as handed to reload hooks.
 *
 * <p>Thread-safe: immutable. The values are the typed values
 * ({@code Double} seconds for a duration, {@code List<String>} for a list,
 * ...), unmasked even for a secret: hooks need the real value; never log them
 * without {@link ConfigOpts#display}.
 *
 * @param oldValue the value before the reload, null if unset
 * @param newValue the value after the reload, null if unset
 */
public record ConfigChange(Object oldValue, Object newValue) {
}

package io.jeventlet.conf;

import java.util.List;

/**
 * The service through which a jar makes its option groups known, so that
 * {@link ConfigOpts} validates every group of every jar on the class path at
 * start (and a typo in any key is caught then, not at first use).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/io.jeventlet.conf.OptGroupProvider}. It
 * needs a public no-argument constructor.
 *
 * <p>Thread rule: {@link #groups()} may be called from any thread and must
 * return the same groups each time.
 */
public interface OptGroupProvider {

    /** The groups this jar declares. */
    List<OptGroup> groups();
}

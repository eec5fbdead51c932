package io.jeventlet.conf;

import java.util.List;

/**
 * The configuration is not valid; carries every problem found, not just the
 * first, so that one start-up attempt shows the operator all of them.
 *
 * <p>The message is the complete report, one problem per line, meant to be
 * shown to the operator as is (the {@link ConfigCommandLine} mixin prints it and
 * exits with status 2). It has no stack trace: the cause is the input, not
 * the code.
 *
 * <p>Thread-safe: immutable.
 */
public final class ConfigValidationException extends RuntimeException {

    private final transient List<ConfigProblem> problems;

    /**
     * @param headline what was being done, e.g. {@code "Configuration is not valid"}
     * @param problems at least one problem
     */
    public ConfigValidationException(String headline, List<ConfigProblem> problems) {
        super(report(headline, problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found (files, then options in declaration order). */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String report(String headline, List<ConfigProblem> problems) {
        StringBuilder text = new StringBuilder(headline).append(" (").append(problems.size())
                .append(problems.size() == 1 ? " problem):" : " problems):");
        for (ConfigProblem p : problems) {
            text.append(System.lineSeparator()).append("  ").append(p.message());
        }
        return text.toString();
    }
}

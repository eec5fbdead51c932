package io.jeventlet.rpc;

/**
 * oslo.messaging's version rule ({@code _utils.version_is_compatible}): an
 * implementation at {@code MAJOR.MINOR[.REV]} serves a request for the same
 * major and a minor (then revision) no higher. Thread-safe (stateless).
 */
final class Versions {
    private Versions() {}

    /**
     * True when {@code requested} may be served by {@code implemented}; a null
     * {@code implemented} (no cap) accepts anything, a null {@code requested}
     * is accepted only then (oslo's rule).
     *
     * @throws UnsupportedVersion when either is not {@code MAJOR.MINOR[.REV]}
     */
    static boolean compatible(String implemented, String requested) {
        if (implemented == null) {
            return true;
        }
        if (requested == null) {
            return false;
        }
        int[] imp = parse(implemented);
        int[] req = parse(requested);
        if (req[0] != imp[0]) {
            return false;
        }
        if (req[1] != imp[1]) {
            return req[1] < imp[1];
        }
        return req[2] <= imp[2];
    }

    private static int[] parse(String version) {
        // By hand rather than split(): the dispatcher checks a version on every request.
        int[] v = new int[3];
        int from = 0;
        try {
            for (int part = 0; part < 3; part++) {
                int dot = version.indexOf('.', from);
                v[part] = Integer.parseInt(version, from, dot < 0 ? version.length() : dot, 10);
                if (v[part] < 0) {
                    break;
                }
                if (dot < 0) {
                    if (part >= 1) {
                        return v;
                    }
                    break;
                }
                from = dot + 1;
            }
        } catch (NumberFormatException e) {
            // refused below, as every other malformed version
        }
        throw new UnsupportedVersion("version '" + version + "' is not of the form MAJOR.MINOR");
    }
}

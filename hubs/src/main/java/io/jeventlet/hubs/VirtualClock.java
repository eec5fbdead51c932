package io.jeventlet.hubs;

/**
 * {@link HubClock#virtual()}: time that only moves when its hub, having
 * nothing runnable, advances it to the next timer. Written only by the hub's
 * carrier; read from anywhere (volatile), so it is monotonic for every reader.
 */
final class VirtualClock implements HubClock {
    private volatile double now;

    @Override
    public double now() {
        return now;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    @Override
    public void advanceTo(double t) {
        if (t > now) {
            now = t;
        }
    }

    @Override
    public String toString() {
        return "HubClock.virtual(now=" + now + ")";
    }
}

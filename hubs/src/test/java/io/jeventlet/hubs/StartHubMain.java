package io.jeventlet.hubs;

/**
 * The child JVM of {@link MissingAddOpensTest}: what a user's {@code main}
 * does first, getting its thread's hub, and nothing else.
 */
public final class StartHubMain {
    private StartHubMain() {}

    public static void main(String[] args) {
        Hub.get();
        System.out.println("hub started");
    }
}

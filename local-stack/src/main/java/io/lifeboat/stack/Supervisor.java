package io.lifeboat.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Watches the stack's components every two seconds: writes what runs where to {@code run/components.tsv} (read by
 * {@code ./lifeboat status}), says in the stack's log when a component died, and restarts Kafka or PostgreSQL when
 * {@code ./lifeboat restart <component>} asks (a {@code run/restart-<component>} file; the answer goes to
 * {@code run/restart-<component>.done}). It restarts nothing by itself: a component that dies is reported, and the
 * operator decides (the services ride out the outage on their own, as the fault suite proves).
 */
final class Supervisor implements Runnable {

    /** A component as the supervisor sees it. */
    interface Component {
        String name();

        /** The process to watch, if one runs. */
        OptionalLong pid();

        String address();

        /** Starts it again (stopping what is left of it first); null if it cannot be restarted from here. */
        default String restart() throws Exception {
            return null;
        }
    }

    private final Path run;
    private final List<Component> components;
    private final Map<String, Boolean> wasAlive = new LinkedHashMap<>();
    private volatile boolean stopping;

    Supervisor(Path run, List<Component> components) {
        this.run = run;
        this.components = components;
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                tick();
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("lifeboat: supervisor: " + e.getMessage());
            }
        }
    }

    private void tick() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Component c : components) {
            Path request = run.resolve("restart-" + c.name());
            if (Files.exists(request)) {
                Files.deleteIfExists(request);
                restart(c);
            }
            OptionalLong pid = c.pid();
            boolean alive = pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive)
                    .orElse(false);
            Boolean before = wasAlive.put(c.name(), alive);
            if (Boolean.TRUE.equals(before) && !alive) {
                System.err.println("lifeboat: " + Instant.now() + " " + c.name() + " (pid " + pid.orElse(-1)
                        + ") is not running any more; './lifeboat restart " + c.name() + "' starts it again");
            }
            lines.add(String.join("\t", c.name(), pid.isPresent() ? Long.toString(pid.getAsLong()) : "-",
                    c.address(), alive ? "running" : "dead"));
        }
        Path tmp = run.resolve("components.tsv.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Files.move(tmp, run.resolve("components.tsv"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private void restart(Component c) throws IOException {
        String answer;
        System.out.println("lifeboat: " + Instant.now() + " restarting " + c.name() + " on request ...");
        try {
            String result = c.restart();
            answer = result == null ? "refused: " + c.name() + " is not restarted from here (restart the stack)"
                    : "ok: " + result;
        } catch (Exception e) {
            answer = "failed: " + e.getMessage();
        }
        System.out.println("lifeboat: " + Instant.now() + " restart of " + c.name() + ": " + answer);
        Files.writeString(run.resolve("restart-" + c.name() + ".done"), answer + "\n");
    }
}

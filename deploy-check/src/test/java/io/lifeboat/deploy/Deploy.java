package io.lifeboat.deploy;

import java.nio.file.Path;

/** Where deploy/ and the project are, as the module's surefire configuration says. */
final class Deploy {

    private Deploy() {
    }

    static Path dir() {
        return Path.of(System.getProperty("lifeboat.deploy.dir", "../deploy")).toAbsolutePath().normalize();
    }

    static Path project() {
        return Path.of(System.getProperty("lifeboat.project.dir", "..")).toAbsolutePath().normalize();
    }
}

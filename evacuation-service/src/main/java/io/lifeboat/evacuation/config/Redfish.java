package io.lifeboat.evacuation.config;

import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How the Redfish fencer reaches a host's BMC (a source's {@code redfish.*}). */
public interface Redfish {
    /**
     * The ComputerSystem of a host, with {@code {host}} (the host name) and {@code {source}} replaced, e.g.
     * {@code https://bmc-{host}.example/redfish/v1/Systems/1}.
     */
    Optional<String> systemUrl();

    Optional<String> username();

    Optional<String> password();

    Optional<Path> passwordFile();

    /** How long to wait for PowerState Off after ForceOff. */
    @WithDefault("60s")
    Duration powerOffTimeout();

    /**
     * Authenticate with a Redfish session ({@code SessionService}, {@code X-Auth-Token}) rather than HTTP basic:
     * what BMCs that refuse basic credentials, or limit them, need. The session is deleted after each fence.
     */
    @WithDefault("false")
    boolean session();

    /**
     * A PEM file of the certificates to trust for the BMCs' HTTPS (their self-signed certificates, or the CA that
     * issued them), instead of the JDK's CAs: a bundle, or one file per BMC with {@code {host}}, {@code {hostId}}
     * or {@code {source}} in the path. Re-read when it changes.
     */
    Optional<String> trustStore();

    /** Check the BMC's name against its certificate (off: the certificate is still checked against the file). */
    @WithDefault("true")
    boolean verifyHostname();
}

package io.lifeboat.cloud;

import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach and log in to one source: the configuration group every service that calls a cloud shares (the
 * collector's and the evacuation-service's {@code sources.<id>} extend it), so one sources file serves both.
 */
public interface SourceConnection {

    /** oVirt: the API URL ({@code https://engine/ovirt-engine/api}); OpenStack: the Keystone v3 URL. */
    String url();

    /** oVirt: user@domain; OpenStack: the user name. */
    String username();

    /** The password; prefer {@code password-file} or an environment variable reference. */
    Optional<String> password();

    /** A file holding the password (a mounted Kubernetes secret), re-read when it changes; trailing newlines ignored. */
    Optional<Path> passwordFile();

    /** OpenStack: the user's domain. */
    @WithDefault("Default")
    String userDomain();

    /** OpenStack: the project to scope to (admin rights are needed for all_tenants and os-services). */
    @WithDefault("admin")
    String project();

    /** OpenStack: the project's domain. */
    @WithDefault("Default")
    String projectDomain();

    /** OpenStack: the catalog interface to use: public, internal or admin. */
    @WithDefault("public")
    String endpointInterface();

    /**
     * OpenStack: the compute microversion asked for. 2.53 has tags (2.26), host_status (2.16), the embedded flavor with
     * extra specs (2.47), UUID service ids and the force-down form by id. A Nova that serves less gets the highest it
     * serves (its version document, read at each session).
     */
    @WithDefault("2.53")
    String computeMicroversion();

    /** A trust store (PKCS12, or JKS by its .jks name) for the source's TLS certificate; the JVM default otherwise. */
    Optional<Path> trustStore();

    /** The trust store's password. */
    Optional<String> trustStorePassword();

    /** Accept any TLS certificate. Only for labs. */
    @WithDefault("false")
    boolean insecure();
}

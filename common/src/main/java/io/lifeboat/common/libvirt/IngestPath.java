package io.lifeboat.common.libvirt;

/** How a raw libvirt event reached Lifeboat. */
public enum IngestPath {
    /** A libvirt-java connection from the watchdog-service to the hypervisor's libvirtd. */
    LIBVIRT,
    /** An agent on the hypervisor publishing to {@code lifeboat.libvirt.raw.v1}. */
    AGENT,
    /** A batch POSTed over HTTP, e.g. {@code virsh event --all --loop --timestamp} lines piped by curl. */
    HTTP
}

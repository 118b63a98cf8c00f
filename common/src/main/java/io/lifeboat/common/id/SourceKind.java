package io.lifeboat.common.id;

/** The cloud platform behind a source. */
public enum SourceKind {
    OVIRT,
    OPENSTACK
}

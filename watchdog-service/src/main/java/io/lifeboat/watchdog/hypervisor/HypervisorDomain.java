package io.lifeboat.watchdog.hypervisor;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A libvirt domain present on a hypervisor, as last listed there. */
@Entity
@Table(name = "hypervisor_domain")
public class HypervisorDomain extends PanacheEntityBase {

    @Embeddable
    public static class Key implements Serializable {
        @Column(nullable = false)
        public String hypervisor;

        @Column(name = "domain_key", nullable = false)
        public String domainKey;

        public Key() {
        }

        public Key(String hypervisor, String domainKey) {
            this.hypervisor = hypervisor;
            this.domainKey = domainKey;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hypervisor.equals(hypervisor) && k.domainKey.equals(domainKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(hypervisor, domainKey);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "domain_uuid")
    public String domainUuid;

    @Column(name = "domain_name")
    public String domainName;

    public String state;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(nullable = false)
    public String via;
}

package io.lifeboat.simulator.openstack;

import io.lifeboat.simulator.world.SimulatedFault;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Keystone tokens issued by the simulator; Nova, Cinder and Glance accept only these (as keystonemiddleware does). */
@ApplicationScoped
public class Tokens {

    private final Set<String> issued = ConcurrentHashMap.newKeySet();

    public String issue() {
        String t = "gAAAAA" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString()
                .replace("-", "");
        issued.add(t);
        return t;
    }

    /**
     * Revokes every token issued so far, as Keystone does on a revocation event or after its fernet keys were rotated
     * away; clients holding one get 401 until they authenticate again. Returns how many were revoked.
     */
    public int revokeAll() {
        int n = issued.size();
        issued.clear();
        return n;
    }

    /** 401 unless the token was issued here; openstack4j then re-authenticates once. */
    public void check(String token) {
        if (token == null || !issued.contains(token)) {
            throw new SimulatedFault(401, "The request you have made requires authentication.");
        }
    }
}

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

    /** 401 unless the token was issued here; openstack4j then re-authenticates once. */
    public void check(String token) {
        if (token == null || !issued.contains(token)) {
            throw new SimulatedFault(401, "The request you have made requires authentication.");
        }
    }
}

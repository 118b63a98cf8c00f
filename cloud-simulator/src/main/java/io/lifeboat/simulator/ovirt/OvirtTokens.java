package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.SimulatedFault;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSO tokens the simulated engines issued. The API accepts only these, as a real engine does: a token that expired
 * (the engine's session timeout), was revoked (a logout) or predates a restart gets 401. That 401 is what the SDK
 * handles badly (it leaks the pooled connection of each one and does not log in again), so it must be seen in tests.
 */
@ApplicationScoped
public class OvirtTokens {

    private final Set<String> issued = ConcurrentHashMap.newKeySet();

    public String issue() {
        String t = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        issued.add(t);
        return t;
    }

    public void revoke(String token) {
        if (token != null) {
            issued.remove(token);
        }
    }

    /** Expires every token issued so far (an engine restart, the SSO session timeout). Returns how many. */
    public int expireAll() {
        int n = issued.size();
        issued.clear();
        return n;
    }

    /** 401 unless the bearer token was issued here and is still valid. */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw new SimulatedFault(401, "Authentication required: missing or malformed Bearer token.");
        }
        if (!issued.contains(authorization.substring(7).strip())) {
            throw new SimulatedFault(401, "The SSO token is invalid or has expired.");
        }
    }
}

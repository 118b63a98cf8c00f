package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's SSO (wire-formats.md D.2). The Java SDK posts here at {@code /ovirt-engine/sso/...} of the API URL's
 * host whatever the API path is, so one SSO serves every simulated engine. The reply is JSON even on errors; the
 * key is {@code exp}, an absolute time, not {@code expires_in}.
 */
@Path("/ovirt-engine")
@Tag(name = "oVirt engine SSO (simulated)")
public class OvirtSsoResource {

    @Inject
    SimulatorConfig config;

    @Inject
    OvirtTokens tokens;

    @POST
    @Path("/sso/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@FormParam("grant_type") String grantType, @FormParam("scope") String scope,
                          @FormParam("username") String username, @FormParam("password") String password) {
        if (!"password".equals(grantType)) {
            return error("unsupported_grant_type", "The grant type '" + grantType + "' is not supported.");
        }
        if (scope == null || !scope.contains("ovirt-app-api")) {
            return error("invalid_scope", "The requested scope '" + scope + "' is not valid; ovirt-app-api is"
                    + " required.");
        }
        if (!config.ovirt().username().equals(username) || !config.ovirt().password().equals(password)) {
            return error("access_denied", "Cannot authenticate user '" + username + "': The username or password is"
                    + " incorrect.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.issue());
        body.put("scope", "ovirt-app-api");
        body.put("exp", Long.toString(System.currentTimeMillis() + 10 * 3600 * 1000L));
        body.put("token_type", "bearer");
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/services/sso-logout")
    @Produces(MediaType.APPLICATION_JSON)
    public Response logout(String body) {
        // The SDK posts its token form-encoded ({@code scope=ovirt-app-api&token=...}): that token ends here.
        if (body != null) {
            for (String pair : body.split("&")) {
                if (pair.startsWith("token=")) {
                    tokens.revoke(java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return Response.ok(Map.of(), MediaType.APPLICATION_JSON).build();
    }

    private static Response error(String code, String message) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error_code", code, "error", message)).build();
    }
}

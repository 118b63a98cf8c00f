package io.lifeboat.simulator.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.world.Simulation;
import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Each simulated hypervisor's BMC as a Redfish service: {@code /redfish/v1/Systems/<source>.<host>} with its
 * {@code PowerState}, and {@code Actions/ComputerSystem.Reset} (On, ForceOff, GracefulShutdown, ForceRestart) to fence
 * it. ForceOff is a real power-off: the platform then loses the host as with a power loss.
 * <p>
 * As real BMCs do ({@link BmcBehaviour}): a ForceOff or GracefulShutdown of a chassis already off is refused (409 by
 * default), the reported {@code PowerState} may lag the power, and a BMC without power (a total power loss) answers
 * nothing ({@link UnpoweredBmcs}).
 */
@Path("/redfish/v1")
@Tag(name = "Redfish BMCs (simulated)")
public class RedfishResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "X-Auth-Token";
    private static final List<String> RESET_TYPES = List.of("On", "ForceOff", "GracefulShutdown", "ForceRestart");

    @Inject
    Simulation simulation;

    @Inject
    SimulatorConfig config;

    @Inject
    BmcBehaviour behaviour;

    /** A BMC: the host, its power, and how to switch it. */
    private record Bmc(String id, String name, boolean poweredOn, Runnable off, Runnable on) {
    }

    @GET
    public Response root(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(TOKEN) String token) {
        authenticate(auth, token);
        ObjectNode o = JSON.createObjectNode().put("@odata.id", "/redfish/v1").put("Id", "RootService")
                .put("Name", "Lifeboat simulated BMCs").put("RedfishVersion", "1.6.0");
        o.putObject("Systems").put("@odata.id", "/redfish/v1/Systems");
        return json(200, o);
    }

    @GET
    @Path("/Systems")
    public Response systems(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(TOKEN) String token) {
        authenticate(auth, token);
        List<Bmc> all = bmcs();
        ObjectNode o = JSON.createObjectNode().put("@odata.id", "/redfish/v1/Systems")
                .put("Name", "Computer System Collection").put("Members@odata.count", all.size());
        ArrayNode members = o.putArray("Members");
        all.forEach(b -> members.addObject().put("@odata.id", "/redfish/v1/Systems/" + b.id()));
        return json(200, o);
    }

    @GET
    @Path("/Systems/{id}")
    public Response system(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(TOKEN) String token, @PathParam("id") String id) {
        authenticate(auth, token);
        Bmc b = reachable(id);
        String base = "/redfish/v1/Systems/" + b.id();
        ObjectNode o = JSON.createObjectNode().put("@odata.id", base).put("Id", b.id()).put("Name", b.name())
                .put("PowerState", behaviour.reportedPower(b.id(), b.poweredOn()) ? "On" : "Off");
        o.putObject("Status").put("State", "Enabled").put("Health", "OK");
        ObjectNode reset = o.putObject("Actions").putObject("#ComputerSystem.Reset");
        reset.put("target", base + "/Actions/ComputerSystem.Reset");
        ArrayNode allowed = reset.putArray("ResetType@Redfish.AllowableValues");
        RESET_TYPES.forEach(allowed::add);
        return json(200, o);
    }

    @POST
    @Path("/Systems/{id}/Actions/ComputerSystem.Reset")
    public Response reset(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(TOKEN) String token, @PathParam("id") String id,
                          String body) {
        authenticate(auth, token);
        Bmc b = reachable(id);
        String type;
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            type = n == null ? null : n.path("ResetType").asText(null);
        } catch (Exception e) {
            throw new RedfishError(400, "Base.1.8.MalformedJSON", "The request body submitted was malformed JSON.");
        }
        if (type == null) {
            throw new RedfishError(400, "Base.1.8.ActionParameterMissing", "The action ComputerSystem.Reset requires"
                    + " the parameter ResetType to be present in the request body.");
        }
        if (!RESET_TYPES.contains(type)) {
            throw new RedfishError(400, "Base.1.8.ActionParameterValueNotInList", "The value " + type
                    + " for the parameter ResetType in the action ComputerSystem.Reset is not in the list of"
                    + " acceptable values " + RESET_TYPES + ".");
        }
        boolean wasOn = b.poweredOn();
        if (!wasOn && ("ForceOff".equals(type) || "GracefulShutdown".equals(type))
                && behaviour.resetWhenOff() != 204) {
            // What many BMCs answer for a chassis already off: the host IS off, but the call says it failed.
            throw new RedfishError(behaviour.resetWhenOff(), "Base.1.8.ActionNotSupported", "The requested power"
                    + " operation " + type + " cannot be performed because the system is already powered off.");
        }
        switch (type) {
            case "ForceOff", "GracefulShutdown" -> b.off().run();
            case "On" -> b.on().run();
            case "ForceRestart" -> {
                b.off().run();
                b.on().run();
            }
            default -> throw new IllegalStateException(type);
        }
        boolean isOn = find(id).map(Bmc::poweredOn).orElse(wasOn);
        if (isOn != wasOn) {
            behaviour.powerChanged(b.id(), wasOn);
        }
        return Response.noContent().build();
    }

    /** The BMC; one without power never gets here: {@link UnpoweredBmcs} drops its connections first. */
    private Bmc reachable(String id) {
        return find(id).orElseThrow(() -> new RedfishError(404, "Base.1.8.ResourceMissingAtURI",
                "The resource at the URI /redfish/v1/Systems/" + id + " was not found."));
    }

    private List<Bmc> bmcs() {
        List<Bmc> out = new java.util.ArrayList<>();
        for (OvirtEngine e : simulation.topology().ovirt()) {
            for (OvHost h : e.hosts()) {
                out.add(new Bmc(e.sourceId + "." + h.name, h.name, h.poweredOn, () -> e.powerLoss(h.id),
                        () -> e.powerOn(h.id)));
            }
        }
        for (OpenStackRegion r : simulation.topology().openstack()) {
            for (NovaService s : r.services()) {
                out.add(new Bmc(r.sourceId + "." + s.host, s.host, s.poweredOn, () -> r.powerLoss(s.host),
                        () -> r.powerOn(s.host)));
            }
        }
        return out;
    }

    private Optional<Bmc> find(String id) {
        return bmcs().stream().filter(b -> b.id().equals(id)).findFirst();
    }

    /**
     * Redfish session login ({@code SessionService}): the answer carries the session's token in {@code X-Auth-Token}
     * and its URI in {@code Location}; later requests send the token instead of basic credentials, and the client
     * deletes the session when done.
     */
    @POST
    @Path("/SessionService/Sessions")
    public Response createSession(String body) {
        String user;
        String password;
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            user = n == null ? null : n.path("UserName").asText(null);
            password = n == null ? null : n.path("Password").asText(null);
        } catch (Exception e) {
            throw new RedfishError(400, "Base.1.8.MalformedJSON", "The request body submitted was malformed JSON.");
        }
        if (!config.redfish().username().equals(user) || !config.redfish().password().equals(password)) {
            throw new RedfishError(401, "Base.1.8.InsufficientPrivilege", "There are insufficient privileges for the"
                    + " account or credentials associated with the current session to perform the requested"
                    + " operation.");
        }
        BmcBehaviour.Session session = behaviour.openSession();
        String uri = "/redfish/v1/SessionService/Sessions/" + session.id();
        ObjectNode o = JSON.createObjectNode().put("@odata.id", uri).put("Id", session.id()).put("UserName", user);
        return Response.status(201).type("application/json").header(TOKEN, session.token()).header("Location", uri)
                .entity(o.toString()).build();
    }

    @GET
    @Path("/SessionService/Sessions")
    public Response sessions(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @HeaderParam(TOKEN) String token) {
        authenticate(auth, token);
        ObjectNode o = JSON.createObjectNode().put("@odata.id", "/redfish/v1/SessionService/Sessions")
                .put("Name", "Session Collection");
        ArrayNode members = o.putArray("Members");
        behaviour.sessions().forEach(id -> members.addObject().put("@odata.id",
                "/redfish/v1/SessionService/Sessions/" + id));
        o.put("Members@odata.count", members.size());
        return json(200, o);
    }

    @DELETE
    @Path("/SessionService/Sessions/{sessionId}")
    public Response deleteSession(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                  @HeaderParam(TOKEN) String token, @PathParam("sessionId") String sessionId) {
        authenticate(auth, token);
        if (!behaviour.closeSession(sessionId)) {
            throw new RedfishError(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI"
                    + " /redfish/v1/SessionService/Sessions/" + sessionId + " was not found.");
        }
        return Response.noContent().build();
    }

    /** A live session's token, or basic credentials where the BMCs still take them ({@link BmcBehaviour}). */
    private void authenticate(String auth, String token) {
        if (token != null && behaviour.validToken(token)) {
            return;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((config.redfish().username() + ":"
                + config.redfish().password()).getBytes(StandardCharsets.UTF_8));
        if (!behaviour.basicAuth() || !expected.equals(auth)) {
            throw new RedfishError(401, "Base.1.8.InsufficientPrivilege", "There are insufficient privileges for the"
                    + " account or credentials associated with the current session to perform the requested"
                    + " operation.");
        }
    }

    static Response json(int status, ObjectNode body) {
        return Response.status(status).type("application/json").entity(body.toString()).build();
    }

    /** A Redfish error answer: {@code {"error": {"code", "message", "@Message.ExtendedInfo"}}}. */
    static final class RedfishError extends jakarta.ws.rs.WebApplicationException {
        RedfishError(int status, String code, String message) {
            super(message, error(status, code, message));
        }

        private static Response error(int status, String code, String message) {
            ObjectNode o = JSON.createObjectNode();
            ObjectNode e = o.putObject("error");
            e.put("code", code).put("message", message);
            e.putArray("@Message.ExtendedInfo").addObject().put("MessageId", code).put("Message", message)
                    .put("Severity", "Critical");
            return json(status, o);
        }
    }
}

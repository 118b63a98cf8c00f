package io.lifeboat.simulator.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders every error in the format of the API it happened in, because clients parse them: the oVirt SDK needs an
 * XML {@code <fault>} even for a 404 of an unknown path (ovirt-sdk-wire notes, 1.4), openstack4j takes the message from
 * {@code {"<faultName>": {"message": ...}}} (wire-formats.md A.0), Keystone answers {@code {"error": {...}}}, and the
 * control API answers problem+json.
 */
public class ApiFaults {

    private static final Logger LOG = Logger.getLogger(ApiFaults.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ServerExceptionMapper
    public Response simulated(SimulatedFault f, UriInfo uri) {
        return render(uri.getPath(), f.status(), f.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (uri.getPath().startsWith("/redfish/") && e.getResponse().hasEntity()) {
            return e.getResponse();   // already a Redfish error body
        }
        return render(uri.getPath(), status, e.getMessage());
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "unexpected error on %s", uri.getPath());
        return render(uri.getPath(), 500, "Unexpected error in the simulator: " + e);
    }

    public static Response render(String path, int status, String message) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.startsWith("/ovirt/")) {
            String reason = switch (status) {
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                default -> "Operation Failed";
            };
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<fault><reason>" + reason
                    + "</reason><detail>[" + escape(message) + "]</detail></fault>";
            return Response.status(status).type("application/xml;charset=UTF-8").entity(xml).build();
        }
        if (p.startsWith("/redfish/")) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", status == 404 ? "Base.1.8.ResourceMissingAtURI" : "Base.1.8.GeneralError");
            err.put("message", message);
            return json(status, Map.of("error", err));
        }
        if (p.startsWith("/openstack/") && p.contains("/identity/")) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", status);
            err.put("message", message);
            err.put("title", Response.Status.fromStatusCode(status) == null ? "Error"
                    : Response.Status.fromStatusCode(status).getReasonPhrase());
            return json(status, Map.of("error", err));
        }
        if (p.startsWith("/openstack/")) {
            // Nova and Cinder: {"<faultName>": {"code": N, "message": "..."}} (nova/api/openstack/wsgi.py Fault)
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("code", status);
            inner.put("message", message);
            return json(status, Map.of(faultName(status), inner));
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:lifeboat:simulator:problem:" + status);
        problem.put("title", Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", message);
        problem.put("instance", p);
        try {
            return Response.status(status).type("application/problem+json").entity(JSON.writeValueAsString(problem))
                    .build();
        } catch (Exception e) {
            return Response.status(status).build();
        }
    }

    /** Nova's {@code Fault._fault_names}. */
    public static String faultName(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413, 429 -> "overLimit";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> "computeFault";
        };
    }

    private static Response json(int status, Object body) {
        try {
            return Response.status(status).type("application/json").entity(JSON.writeValueAsString(body)).build();
        } catch (Exception e) {
            return Response.status(status).build();
        }
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

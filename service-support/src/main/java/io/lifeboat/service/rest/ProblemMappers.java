package io.lifeboat.service.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;

/**
 * Turns every error into problem+json with a stable type. Stack traces never reach the caller: an unexpected error
 * is logged with an id, and the caller gets that id.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.problem(), uri);
    }

    /** Parsing errors of identifiers, WWIDs and times are IllegalArgumentExceptions with a message for the caller. */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e, UriInfo uri) {
        return respond(Problem.of("invalid-parameter", "Bad request", 400, e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(lastNode(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.Violation::field))
                .toList();
        return respond(Problem.of("validation-failed", "Bad request", 400,
                "the request has " + violations.size() + " invalid value(s)").withViolations(violations), uri);
    }

    /**
     * JSON of the wrong shape for the operation (a string where a boolean is expected, an unknown field where the body
     * is read strictly): Quarkus's own mapper for this type would answer an empty 400.
     */
    @ServerExceptionMapper
    public Response mismatchedBody(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of("malformed-body", "Bad request", 400,
                "the request body is not valid JSON for this operation: " + e.getOriginalMessage()), uri);
    }

    /** Kafka did not take what the request produced: nothing was accepted; the caller may send it again. */
    @ServerExceptionMapper
    public Response kafkaUnavailable(io.lifeboat.service.events.EventPublisher.PublishException e, UriInfo uri) {
        LOG.warnf("%s: %s", uri.getPath(), e.getMessage());
        Problem p = Problem.of("kafka-unavailable", "Service unavailable", 503, "Kafka did not take the events"
                + " (" + e.getMessage() + "); nothing was accepted, send the request again later");
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                .entity(p.withInstance(uri.getPath())).build();
    }

    /**
     * No credentials, or credentials that are not valid: 401 with the challenge of the configured mechanism (basic or
     * bearer) and a problem body. Needs {@code quarkus.http.auth.proactive=false}, which every service sets, so that
     * authentication happens here rather than before the request reaches the application (which answered an empty 401).
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Uni<Response> unauthorized(RoutingContext ctx, UriInfo uri) {
        Problem p = Problem.of("unauthorized", "Unauthorized", 401, "this operation needs credentials: none were"
                + " given, or they are not valid").withInstance(uri.getPath());
        HttpAuthenticator authenticator = ctx.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(Response.status(401).type(Problem.MEDIA_TYPE).entity(p).build());
        }
        return authenticator.getChallenge(ctx).map(challenge -> {
            Response.ResponseBuilder r = Response.status(401).type(Problem.MEDIA_TYPE).entity(p);
            if (challenge != null && challenge.headerName != null) {
                r.header(challenge.headerName.toString(), challenge.headerContent);
            }
            return r.build();
        });
    }

    /** Authenticated, but without a role the operation needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(Problem.of("forbidden", "Forbidden", 403, "the caller's roles do not allow this operation"),
                uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers 404 when a path or query parameter cannot be converted to its type (limit=abc): the
            // resource exists, the request is wrong.
            return respond(Problem.of("invalid-parameter", "Bad request", 400, "a parameter cannot be read as the"
                    + " type the operation expects: " + e.getCause().getMessage()), uri);
        }
        Response.StatusType st = e.getResponse().getStatusInfo();
        String slug = switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 400 -> "bad-request";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            default -> "http-error";
        };
        return respond(Problem.of(slug, st.getReasonPhrase(), status, e.getMessage()), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, uri.getPath());
        return respond(Problem.of("internal-error", "Internal server error", 500,
                "an unexpected error occurred; quote error id " + errorId + " when reporting it"), uri);
    }

    private static Response respond(Problem p, UriInfo uri) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p.withInstance(uri.getPath())).build();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}

package io.lifeboat.service.rest;

import io.lifeboat.common.json.Json;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} is refused from its {@code Content-Length}, before it
 * is read, with a 413 problem: Quarkus's own check, which runs just after this one, answers with an empty body.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize max;

    void install(@Observes Router router) {
        long limit = max.asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long declared = -1;
            if (length != null) {
                try {
                    declared = Long.parseLong(length.strip());
                } catch (NumberFormatException e) {
                    declared = -1;
                }
            }
            if (declared <= limit) {
                ctx.next();
                return;
            }
            Problem p = Problem.of("payload-too-large", "Payload Too Large", 413, "the body is " + declared
                    + " bytes; at most " + limit + " are accepted").withInstance(ctx.request().path());
            String body;
            try {
                body = Json.mapper().writeValueAsString(p);
            } catch (Exception e) {
                body = "{\"type\":\"urn:lifeboat:problem:payload-too-large\",\"status\":413}";
            }
            ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(body);
        });
    }
}

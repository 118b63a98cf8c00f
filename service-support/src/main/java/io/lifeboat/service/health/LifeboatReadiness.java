package io.lifeboat.service.health;

import io.lifeboat.service.outbox.OutboxRelay;
import io.lifeboat.service.pipeline.Pipelines;
import io.lifeboat.service.schema.SupportSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means the service can do its work now: PostgreSQL and Kafka answer (from the background probe, so this
 * answers at once whatever is down), no channel is stalled, and the outbox is not falling behind. Each part is named
 * in the answer with its reason.
 */
@Readiness
@ApplicationScoped
public class LifeboatReadiness implements HealthCheck {

    @Inject
    InfrastructureProbe probe;

    @Inject
    Pipelines pipelines;

    @Inject
    OutboxRelay relay;

    @Inject
    SupportSchema schema;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("lifeboat");
        boolean up = true;
        InfrastructureProbe.Status db = probe.database();
        b.withData("database", db.up() ? "UP" : "DOWN: " + db.detail());
        up &= db.up();
        InfrastructureProbe.Status kafka = probe.kafka();
        b.withData("kafka", kafka.up() ? "UP" : "DOWN: " + kafka.detail());
        up &= kafka.up();
        if (!schema.migrated()) {
            b.withData("schema", "DOWN: the support schema is not migrated yet");
            up = false;
        }
        for (Pipelines.ChannelStatus c : pipelines.status()) {
            String text = c.stalled()
                    ? "DOWN: stalled for " + c.stalledFor().toSeconds() + " s: " + c.stallReason()
                    : "UP, lag " + c.lag();
            b.withData("channel " + c.channel(), text);
            up &= !c.stalled();
        }
        if (relay.enabled()) {
            OutboxRelay.Backlog o = relay.backlog();
            boolean late = o.oldest().compareTo(relay.maxAge()) > 0;
            b.withData("outbox", (late ? "DOWN: " : "UP, ") + o.pending() + " waiting, oldest "
                    + o.oldest().toSeconds() + " s" + (o.parked() > 0 ? ", " + o.parked() + " set aside" : "")
                    + (o.lastError() != null ? ", last error: " + o.lastError() : ""));
            up &= !late;
        }
        return b.status(up).build();
    }
}

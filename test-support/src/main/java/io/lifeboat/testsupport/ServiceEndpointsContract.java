package io.lifeboat.testsupport;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What every Lifeboat service must serve: readiness covering Kafka and its database, liveness, Prometheus metrics,
 * OpenAPI with Swagger UI, and a schema built by its Flyway migrations. A service's test extends this and is
 * annotated {@code @QuarkusTest @QuarkusTestResource(LifeboatInfra.class)}.
 */
public abstract class ServiceEndpointsContract {

    /** The service's database schema. */
    protected abstract String schema();

    /** The OpenAPI title. */
    protected abstract String apiTitle();

    @Test
    void readinessCoversKafkaAndTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'lifeboat' }.data.database", equalTo("UP"))
                .body("checks.find { it.name == 'lifeboat' }.data.kafka", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAndOpenApiAreServed() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo(apiTitle()));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** The users the API fuzz tries for each operation, in order (user, password). */
    protected List<String[]> users() {
        return List.of(new String[] {"operator", "operator"}, new String[] {"agent", "agent"},
                new String[] {"viewer", "viewer"});
    }

    /**
     * Every operation of the OpenAPI document, with a fixed corpus of bad parameters (NUL and other control
     * characters, strings longer than any column, malformed numbers and times, traversal), bad bodies (truncated JSON,
     * wrong types, NUL in a string, a 1 MB string, invalid UTF-8, the wrong media type), no credentials and a wrong
     * password: never a 5xx, and every error problem+json with a type the README lists.
     */
    /**
     * Well-formed bodies of operations whose body the OpenAPI document does not describe field by field (e.g. a raw
     * JSON array), keyed "METHOD /path/{template}": the fuzz replaces each of their strings with bad values.
     */
    protected Map<String, List<String>> bodyTemplates() {
        return Map.of();
    }

    @Test
    void everyOperationAnswersBadInputWithADocumentedProblemAndNeverA5xx() throws Exception {
        awaitNoConsumerLag();
        long deadLettersBefore = deadLetters();
        ApiFuzzer fuzzer = new ApiFuzzer(users(), bodyTemplates());
        int operations = fuzzer.run();
        System.out.printf("API fuzz: %d operations, %d requests, %d answers breaking the promise; slowest: %s%n",
                operations, fuzzer.requests(), fuzzer.failures().size(), fuzzer.slowest(6));
        assertThat(fuzzer.documented()).contains("urn:lifeboat:problem:invalid-parameter",
                "urn:lifeboat:problem:unauthorized");
        assertThat(operations).as("operations in the OpenAPI document").isGreaterThanOrEqualTo(3);
        assertThat(fuzzer.requests()).as("requests sent").isGreaterThan(operations * 10);
        assertThat(fuzzer.failures()).as("answers that break the API's promise (%d of %d requests)",
                fuzzer.failures().size(), fuzzer.requests()).isEmpty();
        // Nothing the API accepted is refused later by the service's own consumers.
        awaitNoConsumerLag();
        assertThat(deadLetters()).as("records in the dead-letter topics after the fuzz (%d mutated bodies accepted)",
                fuzzer.accepted()).isEqualTo(deadLettersBefore);
    }

    /** Records in every dead-letter topic of the test broker. */
    private static long deadLetters() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = TestInfrastructure.get().admin()) {
            java.util.Set<String> dlqs = admin.listTopics().names().get().stream().filter(t -> t.endsWith(".dlq"))
                    .collect(java.util.stream.Collectors.toSet());
            if (dlqs.isEmpty()) {
                return 0;
            }
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            admin.describeTopics(dlqs).allTopicNames().get().forEach((name, d) -> d.partitions().forEach(p ->
                    latest.put(new org.apache.kafka.common.TopicPartition(name, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    /** Waits until the service's consumers have nothing left to read (its lifeboat_pipeline_lag gauges are 0). */
    private static void awaitNoConsumerLag() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(250)).until(() -> consumerLag() == 0);
    }

    private static long consumerLag() {
        long lag = 0;
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith("lifeboat_pipeline_lag")) {
                lag += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return lag;
    }

    /**
     * Every column that stores a host or VM id or key (or a hypervisor, or an audit target) holds the longest value the
     * one identifier pattern allows (common {@code Identifiers}), so a valid id is never refused by a database: before,
     * the evacuation and watchdog services had narrower columns than the collector and dead-lettered long valid ids.
     */
    @Test
    void everyIdentifierColumnHoldsTheLongestValidIdentifier() throws Exception {
        Map<String, Integer> narrow = new java.util.TreeMap<>();
        int columns = 0;
        try (Connection c = TestInfrastructure.get().jdbc();
             ResultSet rs = c.createStatement().executeQuery("select table_name, column_name,"
                     + " character_maximum_length from information_schema.columns where table_schema = '" + schema()
                     + "' and data_type = 'character varying' and (column_name ~ '(^|_)(host|vm)_(key|id)$'"
                     + " or column_name in ('hypervisor', 'target'))")) {
            while (rs.next()) {
                columns++;
                String column = rs.getString(2);
                int need = column.endsWith("_id") || column.equals("hypervisor")
                        ? io.lifeboat.common.id.Identifiers.MAX_ID : io.lifeboat.common.id.Identifiers.MAX_KEY;
                if (rs.getInt(3) < need) {
                    narrow.put(rs.getString(1) + "." + column + " (needs " + need + ")", rs.getInt(3));
                }
            }
        }
        assertThat(columns).as("identifier columns in schema %s", schema()).isPositive();
        assertThat(narrow).as("identifier columns narrower than the identifier pattern allows").isEmpty();
    }

    @Test
    void flywayBuiltTheSchema() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection c = TestInfrastructure.get().jdbc();
             ResultSet rs = c.createStatement().executeQuery("select version, success from " + schema()
                     + ".flyway_schema_history where version is not null order by installed_rank")) {
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).isTrue();
                versions.add(rs.getString("version"));
            }
        }
        assertThat(versions).as("migrations applied to schema %s", schema()).startsWith("1");
        try (Connection c = TestInfrastructure.get().jdbc();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from information_schema.tables"
                     + " where table_schema = '" + schema() + "' and table_name = 'processed_event'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("%s.processed_event exists", schema()).isEqualTo(1);
        }
    }
}

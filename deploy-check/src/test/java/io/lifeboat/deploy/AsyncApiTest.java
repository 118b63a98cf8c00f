package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.schema.AsyncApiDocument;
import io.lifeboat.common.topic.Topic;

/**
 * The AsyncAPI document for downstream consumers (deploy/asyncapi.json, generated in common and checked there against
 * the catalogue) is valid AsyncAPI 3.0 for the official parser (@asyncapi/parser), which also names the mistakes of a
 * broken copy.
 */
class AsyncApiTest {

    @Test
    void theOfficialParserTakesTheDocument() throws Exception {
        Tools.npmInstalled();
        Path doc = Deploy.dir().resolve("asyncapi.json");
        assertThat(Files.readString(doc)).isEqualTo(AsyncApiDocument.render());
        Tools.Result r = Tools.run(Tools.checkDir(), 120, "node", "asyncapi.mjs", doc.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("parsed, AsyncAPI 3.0.0, " + 2 * Topic.values().length + " channels, "
                + (EventTypes.all().size() + 1) + " messages; 0 error(s)");
    }

    @Test
    void theParserNamesTheMistakesOfABrokenCopy(@TempDir Path dir) throws Exception {
        Tools.npmInstalled();
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(AsyncApiDocument.render());
        ((ObjectNode) doc.at("/channels/inventoryHosts/messages/lifeboat.host.state.v1"))
                .put("$ref", "#/components/messages/nope");
        ((ObjectNode) doc.at("/operations/sendInventoryVms")).put("action", "publish");
        Path broken = dir.resolve("broken.json");
        new ObjectMapper().writeValue(broken.toFile(), doc);
        Tools.Result r = Tools.run(Tools.checkDir(), 120, "node", "asyncapi.mjs", broken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("'#/components/messages/nope' does not exist")
                .contains("operations/sendInventoryVms/action: \"action\" property must be equal to one of the allowed"
                        + " values");
    }
}

package io.lifeboat.collector.source;

/**
 * An item of a cloud listing that could not be read this time (DESIGN.md: "one bad item never stops the others"):
 * it is left out, with its id and the reason, and its last known state stands; the rest is published.
 *
 * @param kind host, vm, storage-domain, server, service
 * @param id   the item's id as the cloud gave it, or null when not even that could be read
 * @param key  the inventory key ({@code <source>/<id>}) whose last known state stands, or null without an id
 */
public record SkippedItem(String kind, String id, String key, String reason) {
}

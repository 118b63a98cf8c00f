package io.lifeboat.simulator.ovirt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Streams an oVirt API document as XML (the default, and what the Java SDK reads) or as the engine's JSON, without
 * building it in memory: a 20,000-VM listing with followed disks is tens of megabytes.
 *
 * <p>Rules from the SDK's readers (notes in ovirt-sdk-wire.md, wire-formats.md D.1): only {@code id} and
 * {@code href} are attributes; enums in lower case; dates with exactly three fraction digits and an offset; absent
 * values are omitted, never written empty. In JSON a collection is keyed by its item name ({@code {"vm": [...]}}) and
 * every scalar is a string, as the engine writes it.
 */
public abstract class OvirtDoc implements AutoCloseable {

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}: the SDK's SimpleDateFormat fails without milliseconds. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    public static OvirtDoc xml(OutputStream out) {
        return new Xml(out);
    }

    public static OvirtDoc json(OutputStream out) {
        return new Json(out);
    }

    /** Opens an object element, e.g. {@code <vm id=".." href="..">}; id and href may be null. */
    public abstract OvirtDoc begin(String name, String id, String href);

    public abstract OvirtDoc end();

    /** A collection: {@code <disk_attachments>} whose items are {@code <disk_attachment>}. */
    public abstract OvirtDoc beginList(String wrapper, String item);

    public abstract OvirtDoc endList();

    /** A scalar element; skipped when the value is null. */
    public abstract OvirtDoc text(String name, Object value);

    /** A link to another object: {@code <host id=".." href=".."/>}. */
    public OvirtDoc ref(String name, String id, String href) {
        if (id == null) {
            return this;
        }
        return begin(name, id, href).end();
    }

    /** A sub-collection link, {@code <link rel="diskattachments" href=".."/>}. */
    public abstract OvirtDoc link(String rel, String href);

    public OvirtDoc date(String name, Instant value) {
        return value == null ? this : text(name, DATE.format(value));
    }

    @Override
    public abstract void close();

    // ------------------------------------------------------------------ XML

    private static final class Xml extends OvirtDoc {
        private final XMLStreamWriter w;

        Xml(OutputStream out) {
            try {
                w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                w.writeStartDocument("UTF-8", "1.0");
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public OvirtDoc begin(String name, String id, String href) {
            try {
                w.writeStartElement(name);
                if (href != null) {
                    w.writeAttribute("href", href);
                }
                if (id != null) {
                    w.writeAttribute("id", id);
                }
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc end() {
            try {
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc beginList(String wrapper, String item) {
            return begin(wrapper, null, null);
        }

        @Override
        public OvirtDoc endList() {
            return end();
        }

        @Override
        public OvirtDoc text(String name, Object value) {
            if (value == null) {
                return this;
            }
            try {
                w.writeStartElement(name);
                w.writeCharacters(value.toString());
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc link(String rel, String href) {
            try {
                w.writeEmptyElement("link");
                w.writeAttribute("href", href);
                w.writeAttribute("rel", rel);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        @Override
        public void close() {
            try {
                w.writeEndDocument();
                w.flush();
                w.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ JSON

    private static final class Json extends OvirtDoc {
        private enum Ctx { OBJECT, LIST }

        private final JsonGenerator g;
        private final Deque<Ctx> stack = new ArrayDeque<>();
        private boolean linksOpen;

        Json(OutputStream out) {
            try {
                g = new JsonFactory().createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public OvirtDoc begin(String name, String id, String href) {
            try {
                closeLinks();
                if (stack.isEmpty() || stack.peek() == Ctx.LIST) {
                    g.writeStartObject();
                } else {
                    g.writeObjectFieldStart(name);
                }
                stack.push(Ctx.OBJECT);
                if (href != null) {
                    g.writeStringField("href", href);
                }
                if (id != null) {
                    g.writeStringField("id", id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc end() {
            try {
                closeLinks();
                g.writeEndObject();
                stack.pop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc beginList(String wrapper, String item) {
            try {
                closeLinks();
                if (stack.isEmpty()) {
                    g.writeStartObject();          // root: {"vm": [ ... ]}
                } else {
                    g.writeObjectFieldStart(wrapper); // nested: "disk_attachments": {"disk_attachment": [ ... ]}
                }
                g.writeArrayFieldStart(item);
                stack.push(Ctx.LIST);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc endList() {
            try {
                g.writeEndArray();
                g.writeEndObject();
                stack.pop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc text(String name, Object value) {
            if (value == null) {
                return this;
            }
            try {
                closeLinks();
                g.writeStringField(name, value.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        @Override
        public OvirtDoc link(String rel, String href) {
            try {
                if (!linksOpen) {
                    g.writeArrayFieldStart("link");
                    linksOpen = true;
                }
                g.writeStartObject();
                g.writeStringField("href", href);
                g.writeStringField("rel", rel);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private void closeLinks() throws IOException {
            if (linksOpen) {
                g.writeEndArray();
                linksOpen = false;
            }
        }

        @Override
        public void close() {
            try {
                g.flush();
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

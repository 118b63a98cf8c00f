package io.lifeboat.watchdog.ingest;

import com.sun.jna.Pointer;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.IoErrorInfo;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.watchdog.hypervisor.DomainInventory;
import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.IOErrorListener;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.RebootListener;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One libvirt connection to one hypervisor, turning its domain events into raw events: lifecycle, reboot, io-error,
 * and watchdog (registered through JNA: the binding has no watchdog listener, toolchain.md). Callbacks run on
 * libvirt's event-loop thread and only hand the event to the sink.
 */
public final class LibvirtEventSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LibvirtEventSource.class);
    private static final AtomicBoolean EVENT_LOOP = new AtomicBoolean();
    private static final int VIR_DOMAIN_EVENT_ID_WATCHDOG = 3;
    /** virDomainEventWatchdogAction, wire-formats.md E.1. */
    private static final String[] WATCHDOG_ACTIONS = {"none", "pause", "reset", "poweroff", "shutdown", "debug",
            "inject-nmi"};

    private final String hypervisor;
    private final HostKey host;
    private final Consumer<LibvirtRawEvent> sink;
    private final Clock clock;
    private final PointerConnect conn;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Strong references: JNA callbacks that are garbage-collected crash the event loop.
    private final LifecycleListener lifecycle;
    private final RebootListener reboot;
    private final IOErrorListener ioError;
    private final WatchdogCallback watchdog;
    private final ConnectionCloseListener onClose;

    /** The watchdog callback's C signature: (conn, dom, int action, void *opaque). */
    public interface WatchdogCallback extends Libvirt.VirDomainEventCallback {
        void eventCallback(ConnectionPointer conn, DomainPointer dom, int action, Pointer opaque);
    }

    /** Exposes the binding's connection pointer, needed to register the watchdog callback. */
    private static final class PointerConnect extends Connect {
        PointerConnect(String uri) throws LibvirtException {
            super(uri);
        }

        ConnectionPointer pointer() {
            return vcp;
        }
    }

    /**
     * Whether libvirt can be used in this JVM: loads libvirt.so.0 and starts its event loop once.
     *
     * @return null when usable, else the reason
     */
    public static synchronized String unavailableReason() {
        if (EVENT_LOOP.get()) {
            return null;
        }
        try {
            Library.initEventLoop();
            Thread loop = new Thread(() -> {
                while (true) {
                    try {
                        Library.runEventLoop();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        LOG.warnf("libvirt event loop: %s", e.getMessage());
                    }
                }
            }, "libvirt-event-loop");
            loop.setDaemon(true);
            loop.start();
            EVENT_LOOP.set(true);
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "libvirt.so.0 cannot be loaded (install Debian's libvirt0): " + e.getMessage();
        } catch (LibvirtException e) {
            return "libvirt's event loop cannot start: " + e.getMessage();
        }
    }

    /**
     * Connects and registers for events.
     *
     * @param onLost called once if the connection drops (daemon gone, network), so the owner reconnects
     */
    public LibvirtEventSource(String uri, String hypervisor, HostKey host, Consumer<LibvirtRawEvent> sink,
                              Runnable onLost, Clock clock) throws LibvirtException {
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        this.hypervisor = hypervisor;
        this.host = host;
        this.sink = sink;
        this.clock = clock;
        this.conn = new PointerConnect(uri);
        this.lifecycle = (domain, event) -> {
            emit(domain, LibvirtEventKind.LIFECYCLE, event, null, null);
            return 0;
        };
        this.reboot = domain -> emit(domain, LibvirtEventKind.REBOOT, null, null, null);
        this.ioError = (domain, srcPath, devAlias, action) -> emit(domain, LibvirtEventKind.IO_ERROR, null, null,
                new IoErrorInfo(srcPath, devAlias, action == null ? null : action.name().toLowerCase(Locale.ROOT),
                        null));
        this.watchdog = (c, dom, action, opaque) -> emitWatchdog(dom, action);
        this.onClose = (c, why) -> {
            if (closed.compareAndSet(false, true)) {
                LOG.warnf("libvirt connection to %s lost: %s", hypervisor, why);
                onLost.run();
            }
        };
        try {
            conn.addLifecycleListener(lifecycle);
            conn.addRebootListener(reboot);
            conn.addIOErrorListener(ioError);
            conn.registerCloseListener(onClose);
            int id = Libvirt.INSTANCE.virConnectDomainEventRegisterAny(conn.pointer(), null,
                    VIR_DOMAIN_EVENT_ID_WATCHDOG, watchdog, null, null);
            if (id < 0) {
                LOG.warnf("libvirt %s: the watchdog event could not be registered", hypervisor);
            }
        } catch (LibvirtException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /**
     * The hypervisor's domains, running and defined, with what their XML says of a watchdog and a panic device
     * (wire-formats.md E.3).
     */
    public java.util.List<DomainInventory.Seen> domains() throws LibvirtException {
        java.util.List<DomainInventory.Seen> out = new java.util.ArrayList<>();
        for (int id : conn.listDomains()) {
            seen(conn.domainLookupByID(id), "running", out);
        }
        for (String name : conn.listDefinedDomains()) {
            seen(conn.domainLookupByName(name), "shut off", out);
        }
        return out;
    }

    private static final java.util.regex.Pattern WATCHDOG_XML = java.util.regex.Pattern.compile(
            "<watchdog\\s+([^>]*)/?>");
    private static final java.util.regex.Pattern ATTR = java.util.regex.Pattern.compile(
            "(model|action)=['\"]([^'\"]+)['\"]");

    private static void seen(Domain d, String state, java.util.List<DomainInventory.Seen> out)
            throws LibvirtException {
        String xml = d.getXMLDesc(0);
        String model = null;
        String action = null;
        java.util.regex.Matcher w = WATCHDOG_XML.matcher(xml);
        if (w.find()) {
            java.util.regex.Matcher a = ATTR.matcher(w.group(1));
            while (a.find()) {
                if ("model".equals(a.group(1))) {
                    model = a.group(2);
                } else {
                    action = a.group(2);
                }
            }
            if (action == null) {
                action = "reset";   // libvirt's default action
            }
        }
        out.add(new DomainInventory.Seen(d.getUUIDString(), d.getName(), state, model, action,
                xml.contains("<panic")));
    }

    public Connect connection() {
        return conn;
    }

    public boolean open() {
        return !closed.get();
    }

    private void emit(Domain domain, LibvirtEventKind kind, DomainEvent event, String watchdogAction, IoErrorInfo io) {
        try {
            String type = null;
            String detail = null;
            if (event != null) {
                type = display(event.getType().name());
                Object d = event.getDetail();
                detail = d == null ? null : detailName(event.getType().name(), d.toString());
            }
            sink.accept(new LibvirtRawEvent(hypervisor, host, domain.getUUIDString(), domain.getName(), kind, type,
                    detail, watchdogAction, io, clock.instant(), IngestPath.LIBVIRT, null));
        } catch (LibvirtException | RuntimeException e) {
            LOG.warnf("libvirt %s: an event could not be read: %s", hypervisor, e.getMessage());
        }
    }

    private void emitWatchdog(DomainPointer dom, int action) {
        try {
            byte[] uuid = new byte[37];
            Libvirt.INSTANCE.virDomainGetUUIDString(dom, uuid);
            String name = Libvirt.INSTANCE.virDomainGetName(dom);
            String a = action >= 0 && action < WATCHDOG_ACTIONS.length ? WATCHDOG_ACTIONS[action] : "unknown";
            sink.accept(new LibvirtRawEvent(hypervisor, host, new String(uuid, 0, 36, StandardCharsets.US_ASCII), name,
                    LibvirtEventKind.WATCHDOG, null, null, a, null, clock.instant(), IngestPath.LIBVIRT, null));
        } catch (RuntimeException e) {
            LOG.warnf("libvirt %s: a watchdog event could not be read: %s", hypervisor, e.getMessage());
        }
    }

    /** The binding's enum names as virsh displays them (E.2): STARTED → Started, PMSUSPENDED → PMSuspended. */
    static String display(String enumName) {
        if ("PMSUSPENDED".equals(enumName)) {
            return "PMSuspended";
        }
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(Locale.ROOT);
    }

    static String detailName(String type, String detail) {
        return switch (detail) {
            case "IOERROR" -> "I/O Error";
            case "API_ERROR" -> "API error";
            case "FROM_SNAPSHOT" -> "Snapshot";
            default -> display(detail);
        };
    }

    @Override
    public void close() {
        closed.set(true);
        try {
            conn.close();
        } catch (LibvirtException e) {
            LOG.debugf("closing libvirt %s: %s", hypervisor, e.getMessage());
        }
    }
}

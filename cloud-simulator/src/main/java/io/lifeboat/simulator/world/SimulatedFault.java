package io.lifeboat.simulator.world;

/**
 * A refusal by an emulated API, with the HTTP status and the message the real system gives. Each API renders it in
 * its own error format (oVirt {@code <fault>}, Nova {@code {"badRequest": {...}}}, ...).
 */
public class SimulatedFault extends RuntimeException {

    private final int status;

    public SimulatedFault(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static SimulatedFault notFound(String message) {
        return new SimulatedFault(404, message);
    }

    public static SimulatedFault badRequest(String message) {
        return new SimulatedFault(400, message);
    }

    public static SimulatedFault conflict(String message) {
        return new SimulatedFault(409, message);
    }
}

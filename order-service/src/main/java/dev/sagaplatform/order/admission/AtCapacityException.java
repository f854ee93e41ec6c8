package dev.sagaplatform.order.admission;

/** The platform has as many sagas in flight as it can finish in time; the order is refused at the door, nothing stored. */
public class AtCapacityException extends RuntimeException {

    private final long inFlight;
    private final long limit;

    public AtCapacityException(long inFlight, long limit) {
        super(inFlight + " sagas in flight, the limit now is " + limit, null, false, false);
        this.inFlight = inFlight;
        this.limit = limit;
    }

    public long inFlight() {
        return inFlight;
    }

    public long limit() {
        return limit;
    }
}

package dev.sagaplatform.cli.faultproxy;

import dev.sagaplatform.cli.faultproxy.ProxiedConnection.ClosedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one connection: reads chunks of up to 32 KiB from the source socket and writes
 * them to the destination socket, through the proxy's toxics for this direction.
 * <p>
 * The toxics are read again for every chunk, so adding, changing or removing one takes effect on
 * live connections. Whether a toxic applies to this connection at all is drawn once, with its
 * toxicity as the probability, when the connection first meets it.
 * <p>
 * The thread is a small delay line: a chunk is stamped when it is read and written when its latency
 * has passed, and while it waits the thread keeps reading (with a socket timeout that ends when the
 * next chunk is due). So a burst is delayed once, by the latency, and not once per chunk, as a
 * plain read-sleep-write loop would do. Toxics that must act while no data flows ({@code timeout}
 * closing the connection, {@code reset_peer} resetting it) run on the server's timer thread.
 * <p>
 * Toxiproxy chains toxics in the order they were added; here their effects compose in a fixed
 * order instead: latency when a chunk is read; then, when it is due, {@code reset_peer} and
 * {@code timeout} drop it, {@code limit_data} cuts it, {@code slicer} cuts it up and
 * {@code bandwidth} paces the writes.
 */
final class ToxicPipe implements Runnable {

    static final int CHUNK_SIZE = 32 * 1024;

    /** How far a delayed direction reads ahead before it stops reading (Toxiproxy buffers 1024 chunks). */
    private static final long MAX_PENDING_BYTES = 4L * 1024 * 1024;

    private static final long NO_LIMIT = Long.MAX_VALUE;
    private static final int TIMED_OUT = -2;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** Bandwidth is paced in slices of at most 100 ms worth of data, as Toxiproxy does, so a rate change takes hold quickly. */
    private static final long BANDWIDTH_SLICE_MILLIS = 100;

    private final ProxiedConnection connection;
    private final Direction direction;
    private final Socket source;
    private final Socket destination;
    private final ScheduledExecutorService timers;

    /** Whether each toxic applies to this connection, drawn once per toxic instance. */
    private final Map<InstalledToxic, Boolean> applies = new ConcurrentHashMap<>();

    // Guarded by this: touched by the API thread (toxic changes) and by this pipe's thread.
    private final Map<InstalledToxic, ScheduledFuture<?>> timeoutTimers = new HashMap<>();
    private ScheduledFuture<?> resetTimer;

    // This pipe's thread only.
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    private long pendingBytes;
    private long lastDue = System.nanoTime();
    private long bandwidthClock = System.nanoTime();
    private long limitDataToxicId = -1;
    private long limitDataSent;
    private int soTimeoutMillis = -1;

    /** Data read but not yet due, with the time it is due (System.nanoTime()). */
    private record Chunk(byte[] data, long due) {
    }

    ToxicPipe(ProxiedConnection connection, Direction direction, Socket source, Socket destination, ScheduledExecutorService timers) {
        this.connection = connection;
        this.direction = direction;
        this.source = source;
        this.destination = destination;
        this.timers = timers;
    }

    @Override
    public void run() {
        try {
            reconcileTimers();
            pump();
        }
        catch (IOException ex) {
            // A socket error, the peer's reset, or the connection closed under us: the connection is over either way.
            connection.close();
        }
        catch (RuntimeException ex) {
            // A bug here must not leave the other direction running on a connection that no longer passes data.
            connection.closeAfterFailure(ex);
        }
    }

    private void pump() throws IOException {
        InputStream in = source.getInputStream();
        OutputStream out = destination.getOutputStream();
        byte[] buffer = new byte[CHUNK_SIZE];
        boolean sourceEnded = false;
        while (true) {
            Chunk next = pending.peekFirst();
            long now = System.nanoTime();
            if (next != null && next.due - now <= 0) {
                pending.removeFirst();
                pendingBytes -= next.data.length;
                deliver(out, next.data, next.data.length);
                continue;
            }
            if (sourceEnded || pendingBytes >= MAX_PENDING_BYTES) {
                if (next == null) {
                    break;
                }
                connection.pause(next.due - now);
                continue;
            }
            int read = readWithin(in, buffer, next == null ? NO_LIMIT : next.due - now);
            if (read == TIMED_OUT) {
                continue;
            }
            if (read < 0) {
                sourceEnded = true;
                if (resetOnEndOfStream()) {
                    return;
                }
                continue;
            }
            accept(out, buffer, read, System.nanoTime());
        }
        // Everything read was delivered: pass the end of the stream on, late if a slow_close says so.
        connection.pause(slowCloseNanos(activeToxics()));
        connection.directionEnded(destination);
    }

    /** Reads what is there, waiting at most {@code waitNanos} (that is when the next delayed chunk is due). */
    private int readWithin(InputStream in, byte[] buffer, long waitNanos) throws IOException {
        int millis = waitNanos == NO_LIMIT ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (waitNanos + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI));
        if (millis != soTimeoutMillis) {
            source.setSoTimeout(millis);
            soTimeoutMillis = millis;
        }
        try {
            return in.read(buffer);
        }
        catch (SocketTimeoutException ex) {
            return TIMED_OUT;
        }
    }

    /** Stamps a chunk just read with its due time; writes it at once if it is due and nothing waits before it. */
    private void accept(OutputStream out, byte[] buffer, int length, long readAt) throws IOException {
        long due = readAt + latencyNanos(activeToxics());
        if (due - lastDue < 0) {
            due = lastDue; // jitter must not reorder data
        }
        lastDue = due;
        if (pending.isEmpty() && due - System.nanoTime() <= 0) {
            deliver(out, buffer, length);
            return;
        }
        pending.addLast(new Chunk(Arrays.copyOf(buffer, length), due));
        pendingBytes += length;
    }

    /** Writes a due chunk through the toxics that act on delivery. */
    private void deliver(OutputStream out, byte[] data, int length) throws IOException {
        List<InstalledToxic> toxics = activeToxics();
        InstalledToxic resetPeer = first(toxics, ToxicType.RESET_PEER);
        if (resetPeer != null) {
            scheduleReset(resetPeer); // Toxiproxy drops what reaches a reset_peer toxic
            return;
        }
        if (first(toxics, ToxicType.TIMEOUT) != null) {
            return; // nothing gets through a timeout toxic
        }
        InstalledToxic limitData = first(toxics, ToxicType.LIMIT_DATA);
        int allowed = length;
        if (limitData != null) {
            if (limitData.id() != limitDataToxicId) {
                limitDataToxicId = limitData.id();
                limitDataSent = 0;
            }
            allowed = (int) Math.min(length, Math.max(0, limitData.attribute("bytes") - limitDataSent));
        }
        InstalledToxic slicer = first(toxics, ToxicType.SLICER);
        if (slicer == null) {
            writePaced(out, data, 0, allowed);
        }
        else {
            writeSliced(out, data, allowed, slicer);
        }
        if (limitData != null) {
            limitDataSent += allowed;
            if (limitDataSent >= limitData.attribute("bytes")) {
                connection.close();
                throw new ClosedException();
            }
        }
    }

    private void writeSliced(OutputStream out, byte[] data, int length, InstalledToxic slicer) throws IOException {
        long delayNanos = slicer.attribute("delay") * 1_000L;
        int offset = 0;
        for (int size : Slicer.sizes(length, slicer.attribute("average_size"), slicer.attribute("size_variation"))) {
            writePaced(out, data, offset, size);
            offset += size;
            connection.pause(delayNanos);
        }
    }

    /** Writes at the bandwidth toxic's rate, if there is one; the rate is read again for every slice. */
    private void writePaced(OutputStream out, byte[] data, int offset, int length) throws IOException {
        int end = offset + length;
        while (offset < end) {
            InstalledToxic bandwidth = slowestBandwidth(activeToxics());
            if (bandwidth == null) {
                out.write(data, offset, end - offset);
                return;
            }
            long bytesPerMilli = bandwidth.attribute("rate"); // KB/s with KB = 1000 bytes
            if (bytesPerMilli == 0) {
                // Toxiproxy lets nothing through at rate 0; wait for the toxic to change or go.
                connection.pause(BANDWIDTH_SLICE_MILLIS * NANOS_PER_MILLI);
                continue;
            }
            int slice = (int) Math.min(end - offset, bytesPerMilli * BANDWIDTH_SLICE_MILLIS);
            long now = System.nanoTime();
            long start = bandwidthClock - now > 0 ? bandwidthClock : now;
            bandwidthClock = start + slice * NANOS_PER_MILLI / bytesPerMilli;
            // Wait first, then write: n bytes never arrive sooner than n / rate after they were read.
            connection.pause(bandwidthClock - now);
            out.write(data, offset, slice);
            offset += slice;
        }
    }

    /** The source ended; with a reset_peer toxic that is what triggers the reset, as in Toxiproxy. */
    private boolean resetOnEndOfStream() {
        InstalledToxic resetPeer = first(activeToxics(), ToxicType.RESET_PEER);
        if (resetPeer == null) {
            return false;
        }
        scheduleReset(resetPeer);
        return true;
    }

    private synchronized void scheduleReset(InstalledToxic resetPeer) {
        if (resetTimer == null && !connection.isClosed()) {
            resetTimer = timers.schedule(connection::reset, resetPeer.attribute("timeout"), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts a timer for each timeout toxic (with a timeout) that now applies to this direction, and
     * cancels the timers of those that went: removing a timeout toxic in time saves the connection.
     * A reset already under way is not called off (neither is it in Toxiproxy).
     */
    synchronized void reconcileTimers() {
        List<InstalledToxic> toxics = activeToxics();
        timeoutTimers.entrySet().removeIf(timer -> {
            if (toxics.contains(timer.getKey())) {
                return false;
            }
            timer.getValue().cancel(false);
            return true;
        });
        for (InstalledToxic toxic : toxics) {
            long timeoutMillis = toxic.attribute("timeout");
            if (toxic.type() == ToxicType.TIMEOUT && timeoutMillis > 0 && !timeoutTimers.containsKey(toxic) && !connection.isClosed()) {
                timeoutTimers.put(toxic, timers.schedule(connection::close, timeoutMillis, TimeUnit.MILLISECONDS));
            }
        }
        applies.keySet().retainAll(connection.toxics());
    }

    synchronized void cancelTimers() {
        timeoutTimers.values().forEach(timer -> timer.cancel(false));
        timeoutTimers.clear();
        if (resetTimer != null) {
            resetTimer.cancel(false);
        }
    }

    /** This direction's toxics that apply to this connection, in the order they were added. */
    private List<InstalledToxic> activeToxics() {
        List<InstalledToxic> all = connection.toxics();
        if (all.isEmpty()) {
            return List.of();
        }
        List<InstalledToxic> active = new ArrayList<>(all.size());
        for (InstalledToxic toxic : all) {
            if (toxic.direction() == direction && applies.computeIfAbsent(toxic, ToxicPipe::draw)) {
                active.add(toxic);
            }
        }
        return active;
    }

    private static boolean draw(InstalledToxic toxic) {
        return ThreadLocalRandom.current().nextDouble() < toxic.toxicity();
    }

    private static InstalledToxic first(List<InstalledToxic> toxics, ToxicType type) {
        for (InstalledToxic toxic : toxics) {
            if (toxic.type() == type) {
                return toxic;
            }
        }
        return null;
    }

    /** Latency toxics add up, each with its own jitter (uniform in [-jitter, +jitter), as in Toxiproxy). */
    private static long latencyNanos(List<InstalledToxic> toxics) {
        long millis = 0;
        for (InstalledToxic toxic : toxics) {
            if (toxic.type() == ToxicType.LATENCY) {
                long jitter = toxic.attribute("jitter");
                millis += toxic.attribute("latency") + (jitter > 0 ? ThreadLocalRandom.current().nextLong(-jitter, jitter) : 0);
            }
        }
        return Math.max(0, millis) * NANOS_PER_MILLI;
    }

    private static long slowCloseNanos(List<InstalledToxic> toxics) {
        long millis = 0;
        for (InstalledToxic toxic : toxics) {
            if (toxic.type() == ToxicType.SLOW_CLOSE) {
                millis += toxic.attribute("delay");
            }
        }
        return millis * NANOS_PER_MILLI;
    }

    private static InstalledToxic slowestBandwidth(List<InstalledToxic> toxics) {
        InstalledToxic slowest = null;
        for (InstalledToxic toxic : toxics) {
            if (toxic.type() == ToxicType.BANDWIDTH && (slowest == null || toxic.attribute("rate") < slowest.attribute("rate"))) {
                slowest = toxic;
            }
        }
        return slowest;
    }
}

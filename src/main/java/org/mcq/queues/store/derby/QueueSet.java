package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueReport;
import org.mcq.queues.api.QueueStats;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.ReadTotals;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;
import org.mcq.queues.rules.Admission;
import org.mcq.queues.rules.Expiry;
import org.mcq.queues.rules.QueueLimits;

/**
 * The queue operations and the order they take effect in: the {@link QueueIndex} made durable
 * through the {@link GroupCommit} writer, with bodies kept or read back by {@link Bodies}.
 *
 * <p>In sync mode a stored message becomes visible to consumers only once its batch is on disk, so
 * nobody can consume what a crash could still lose, and {@code STORED} is only answered then. A
 * consumed message leaves the index at once (two consumers never get the same one) and its deletion
 * is on disk before it is sent. In no-sync mode every effect is immediate and the writer catches up,
 * except while the writer is {@linkplain GroupCommit#holding holding} (writes fail, or have just
 * failed): then sets, deletes and flushes of everything take effect once written, as in sync mode,
 * and fail with their batch. Once the writer stops, operations are refused rather than acknowledged
 * and dropped.
 */
public final class QueueSet {

    /**
     * @param sync                   {@code STORED} once on disk, or at once (MemcacheQ's -N)
     * @param flushIntervalMillis    in no-sync mode, how often the writer commits
     * @param memoryBudgetBytes      bodies kept on the heap; beyond it they are read back from disk
     * @param countersIntervalMillis queue counters written at most this often (0: only at stop)
     * @param openTimeoutMillis      an open read held longer goes back to its queue (0: never)
     * @param expiry                 whether a {@code set}'s exptime is honoured (MemcacheQ ignored it)
     * @param idleDropMillis         an empty queue unused this long is dropped with its counters (0: never)
     */
    public record Settings(boolean sync, long flushIntervalMillis, long memoryBudgetBytes, long countersIntervalMillis,
                           long openTimeoutMillis, boolean expiry, long idleDropMillis) {
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletableFuture<Delivery> NOTHING = CompletableFuture.completedFuture(null);
    private static final StorageException STOPPING = new StorageException("server is stopping", null);

    private final QueueIndex index;
    private final OpenReads openReads = new OpenReads();
    private final Waiters waiters = new Waiters();
    private final AtomicLong openTimeouts = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final MessageStore store;
    private final GroupCommit writer;
    private final Bodies bodies;
    private final Executor reads;
    private final boolean sync;
    /**
     * Makes "change the index, then queue the write" one step, so both see one order (no-sync mode);
     * and guards the open reads and the waiters, which change with the index.
     */
    private final Object order = new Object();
    /** Told when an insert that joins once written becomes visible; one instance for all inserts. */
    private final Consumer<String> arrivals = this::arrived;

    /**
     * @param completions runs the continuations of committed operations (see {@link GroupCommit})
     * @param reads       reads evicted bodies back from the store, off the consumer's thread
     * @param timers      ends waiting reads whose time is up (no thread waits for them)
     * @param limits      each queue's limits, by name
     */
    public QueueSet(MessageStore store, Executor completions, Executor reads, ScheduledExecutorService timers,
                    Settings settings, Function<String, QueueLimits> limits) {
        this.index = new QueueIndex(store, limits);
        this.store = store;
        this.settings = settings;
        this.timers = timers;
        this.sync = settings.sync();
        this.writer = new GroupCommit(store, completions, new CounterCadence(index, settings.countersIntervalMillis(),
                this::putAside), sync, settings.flushIntervalMillis());
        this.reads = reads;
        this.bodies = new Bodies(settings.memoryBudgetBytes(), store, reads);
    }

    /** The writer, whose thread the caller runs. */
    public GroupCommit writer() {
        return writer;
    }

    /** Rebuilds the index from the store (the queues holding messages); bodies are read back lazily. */
    public void load() throws StorageException {
        index.load();
    }

    /**
     * Stores a message; the stage completes when it may be acknowledged: in sync mode once it is on
     * disk, in no-sync mode at once (unless the writer is so far behind that the caller must wait
     * for the disk). While the writer is {@linkplain GroupCommit#holding holding}, a no-sync set is
     * a sync one: the message joins its queue once on disk, and if its batch is refused the stage
     * fails with the {@link StorageException} and nothing is stored. It fails with
     * {@link QueueFull} when the queue is at its limits and refuses more. With expiry on,
     * {@code exptime} follows memcached's rule (0: never; negative: already expired).
     */
    public CompletableFuture<Void> set(String name, long flags, long exptime, byte[] body) {
        long now = System.currentTimeMillis();
        Insert insert;
        boolean held;
        List<Runnable> deliveries = List.of();
        synchronized (order) {
            MessageQueue queue = index.getOrCreate(name);
            if (!makeRoom(queue, body.length)) {
                return CompletableFuture.failedFuture(new QueueFull());
            }
            held = holding();
            boolean cached = bodies.tryKeep(body.length);
            // ids in submission order, so a queue's messages are in id order in memory and on disk
            Message message = new Message(index.nextId(), flags, body, body.length, now,
                    Expiry.expiresAt(settings.expiry(), exptime, now));
            message.cache(cached);
            insert = new Insert(index, bodies, name, message, held ? queue : null, arrivals);
            if (!writer.submit(insert)) {
                insert.failed();
                return insert.done;
            }
            if (!held) {
                insert.apply(); // after the submit: a message refused by a stopping writer is never seen
                deliveries = serveWaiters(name);
            }
        }
        deliveries.forEach(Runnable::run);
        return held || writer.backlogged() ? insert.done : DONE;
    }

    /**
     * Under the lock: whether an op submitted now takes effect only once written, failing with its
     * batch: always in sync mode, in no-sync mode while the writer is holding.
     */
    private boolean holding() {
        return sync || writer.holding();
    }

    /**
     * Under the lock: whether a message of {@code size} may join the queue; drops the oldest
     * messages first if the queue's policy says so. False if it cannot fit.
     */
    private boolean makeRoom(MessageQueue queue, int size) {
        if (!queue.limits().bounded()) {
            return true;
        }
        List<Message> dropped = new ArrayList<>(0);
        boolean admitted = Admission.admit(queue.limits(), new Admission.Occupancy<RuntimeException>() {
            @Override
            public long messages() {
                return queue.countedMessages();
            }

            @Override
            public long bytes() {
                return queue.countedBytes();
            }

            @Override
            public boolean dropOldest() {
                Message oldest = queue.dropOldest(); // one admitted has its commit under way: its removal follows its insert
                if (oldest == null) {
                    return false;
                }
                bodies.release(oldest);
                dropped.add(oldest);
                return true;
            }
        }, size);
        if (!dropped.isEmpty()) {
            remove(dropped);
            discarded.addAndGet(dropped.size());
        }
        return admitted;
    }

    /** Under the lock: removes from disk messages that left their queue undelivered. */
    private void remove(List<Message> messages) {
        if (!messages.isEmpty()) {
            writer.submit(new Removal(messages)); // refused only when stopping: they are back after the restart
        }
    }

    /** What a read took under the lock, to be delivered (its body read back if need be) after it. */
    private record Taken(String queue, Message message, byte[] body, ReadMode take, Object reader, Room room,
                         Consume consume, OpenReads.OpenRead open) {
    }

    /** A read that found the head but had no room for it: nothing was taken. */
    private static final Taken NO_ROOM_TAKEN = new Taken(null, null, null, null, null, null, null, null);

    /**
     * Takes the head of a queue; the stage yields null if it is empty or unknown (an unknown queue is
     * not created). In sync mode the stage completes once the removal is on disk, so a message is
     * never sent that a crash could bring back. {@code room} is asked for the head's size before it
     * is taken; if it refuses, nothing is taken and the result is {@link #QueueOperations.NO_ROOM}. If the message
     * cannot be delivered after all (its body cannot be read back, the writer is stopping), it goes
     * back to the head of its queue, its room is released, and the stage fails.
     */
    public CompletableFuture<Delivery> get(String name, Room room) {
        return read(name, ReadMode.POP, null, room, 0);
    }

    /**
     * Reads the head of a queue as {@code take} says, for {@code reader} (the connection, compared
     * by identity; it holds what it opens). If the queue is empty and {@code waitMillis} is positive,
     * the read waits that long for a message (the caller applies {@code mcq.max.wait.ms}: see
     * {@code MemcacheCommands}) without holding a thread, served in arrival order; it yields null
     * when its time is up or its reader goes. The reader's allowance of open reads is the caller's
     * to apply (see {@code MemcacheCommands}), once for both stores. Otherwise as {@link #get}.
     */
    public CompletableFuture<Delivery> read(String name, ReadMode take, Object reader, Room room, long waitMillis) {
        Taken taken;
        Waiters.Waiter waiter = null;
        synchronized (order) {
            MessageQueue queue = index.get(name);
            taken = queue == null ? null : take(queue, take, reader, room);
            if (taken == null && waitMillis > 0) {
                waiter = waiters.add(name, take, reader, room);
            }
        }
        if (waiter == null) {
            return deliver(taken);
        }
        Waiters.Waiter waiting = waiter;
        waiter.timeout = timers.schedule(() -> timedOut(waiting), waitMillis, TimeUnit.MILLISECONDS);
        return waiter.result;
    }

    /**
     * Confirms the reader's oldest open read of the queue: its message is removed for good. The stage
     * completes when that may be answered (in sync mode, once on disk); at once if nothing was open.
     */
    public CompletableFuture<Void> close(String name, Object reader) {
        OpenReads.OpenRead read;
        synchronized (order) {
            read = openReads.removeOldest(reader, name);
            if (read == null) {
                return DONE;
            }
            if (read.delivered().isDone()) {
                return confirm(read);
            }
        }
        // its body is still being read back (a close right behind its open): its row is needed till then
        return read.delivered().thenCompose(delivered -> switch (delivered) {
            case YES -> confirm(read);
            case FAILED -> {
                List<Runnable> deliveries = new ArrayList<>();
                synchronized (order) {
                    giveBack(List.of(read), deliveries); // never delivered: nothing to confirm, it stays queued
                }
                deliveries.forEach(Runnable::run);
                yield DONE;
            }
            case GONE -> DONE;
        });
    }

    private CompletableFuture<Void> confirm(OpenReads.OpenRead read) {
        Consume consume;
        synchronized (order) {
            consume = new Consume(read.message());
            if (!writer.submit(consume)) {
                putBack(read.queue(), read.message());
                return consume.done;
            }
        }
        Message message = consume.message;
        if (!sync && !writer.backlogged()) {
            bodies.release(message);
            return DONE;
        }
        return consume.done.thenRun(() -> bodies.release(message));
    }

    /** Gives the reader's oldest open read of the queue back to the head of the queue, if there is one. */
    public CompletableFuture<Void> abort(String name, Object reader) {
        List<Runnable> deliveries;
        synchronized (order) {
            OpenReads.OpenRead read = openReads.removeOldest(reader, name);
            if (read == null) {
                return DONE;
            }
            putBack(read.queue(), read.message());
            deliveries = serveWaiters(read.queue());
        }
        deliveries.forEach(Runnable::run);
        return DONE;
    }

    /** How many reads of the queue the reader holds open. */
    public int openReads(String name, Object reader) {
        synchronized (order) {
            return openReads.count(reader, name);
        }
    }

    /**
     * The reader (a connection) is gone: its open reads go back to their queues in their original
     * order, to be delivered again, and its waiting reads end with nothing.
     */
    public void readerGone(Object reader) {
        List<Runnable> deliveries = new ArrayList<>();
        List<Waiters.Waiter> cancelled;
        synchronized (order) {
            cancelled = waiters.removeReader(reader);
            giveBack(openReads.removeAll(reader), deliveries);
        }
        for (Waiters.Waiter waiter : cancelled) {
            waiter.cancelTimeout();
            waiter.result.complete(null);
        }
        deliveries.forEach(Runnable::run);
    }

    /** Ends every waiting read with nothing (the server stops: no deadline will end them). */
    public void stopWaiting() {
        List<Waiters.Waiter> all;
        synchronized (order) {
            all = waiters.removeAll();
        }
        all.forEach(waiter -> waiter.result.complete(null));
    }

    /** Open reads held longer than the visibility timeout go back to their queues; returns how many. */
    public int returnStaleOpenReads() {
        long timeout = settings.openTimeoutMillis();
        if (timeout <= 0) {
            return 0;
        }
        List<Runnable> deliveries = new ArrayList<>();
        int stale;
        synchronized (order) {
            List<OpenReads.OpenRead> reads = openReads.removeOpenedBefore(System.nanoTime()
                    - TimeUnit.MILLISECONDS.toNanos(timeout));
            stale = reads.size();
            giveBack(reads, deliveries);
        }
        openTimeouts.addAndGet(stale);
        deliveries.forEach(Runnable::run);
        return stale;
    }

    /** Puts open reads back (oldest first in, so each lands in id order) and serves who waits for them. */
    private void giveBack(List<OpenReads.OpenRead> reads, List<Runnable> deliveries) {
        Set<String> queues = new LinkedHashSet<>();
        for (OpenReads.OpenRead read : reads) {
            putBack(read.queue(), read.message());
            queues.add(read.queue());
        }
        for (String queue : queues) {
            deliveries.addAll(serveWaiters(queue));
        }
    }

    /** Back into its queue (made again if it was dropped meanwhile: its row is still on disk). */
    private void putBack(String name, Message message) {
        index.getOrCreate(name).putBack(message);
    }

    /**
     * Under the lock: takes the head of {@code queue} as {@code take} says, if the room takes its
     * size; null if the queue is empty, {@link #NO_ROOM_TAKEN} if the room refused.
     */
    private Taken take(MessageQueue queue, ReadMode take, Object reader, Room room) {
        dropExpiredHead(queue);
        Message message = take == ReadMode.PEEK ? queue.peek() : queue.poll();
        if (message == null) {
            return null;
        }
        if (!room.reserve(message.size())) {
            if (take != ReadMode.PEEK) {
                queue.unpoll(message);
            }
            return NO_ROOM_TAKEN;
        }
        // taken before the removal is queued: once written, the body could no longer be read back
        byte[] body = message.body();
        Consume consume = null;
        if (take == ReadMode.POP) {
            consume = new Consume(message);
            if (body != null && !sync) {
                if (!writer.submit(consume)) {
                    queue.unpoll(message);
                    room.release(message.size());
                    return new Taken(queue.name(), message, null, null, reader, room, null, null);
                }
                if (message.consumedUnwritten()) {
                    // never written now, and its body need not live until the next flush (under
                    // a load of large bodies it would reach the old generation)
                    writer.skipped(message.size());
                }
            }
        }
        OpenReads.OpenRead open = take == ReadMode.OPEN ? openReads.add(reader, queue.name(), message, body != null) : null;
        return new Taken(queue.name(), message, body, take, reader, room, consume, open);
    }

    /** Under the lock: messages at the head that may no longer be delivered leave, counted as expired. */
    private void dropExpiredHead(MessageQueue queue) {
        long maxAge = queue.limits().maxAgeMillis();
        if (!settings.expiry() && maxAge <= 0) {
            return; // MemcacheQ's behaviour, and no clock read per read
        }
        long now = System.currentTimeMillis();
        List<Message> gone = new ArrayList<>(0);
        Message head;
        while ((head = queue.peek()) != null && head.expired(now, maxAge)) {
            queue.expireHead();
            bodies.release(head);
            gone.add(head);
        }
        remove(gone);
        expired.addAndGet(gone.size());
    }

    /** Removes every message of the queue that may no longer be delivered; yields how many. */
    public int flushExpired(String name) {
        synchronized (order) {
            MessageQueue queue = index.get(name);
            if (queue == null) {
                return 0;
            }
            List<Message> gone = queue.removeExpired(System.currentTimeMillis());
            gone.forEach(bodies::release);
            remove(gone);
            expired.addAndGet(gone.size());
            return gone.size();
        }
    }

    /**
     * Empties a queue, its open reads confirmed (Kestrel's {@code flush}); completes once that is on
     * disk in sync mode, at once in no-sync mode.
     */
    public CompletableFuture<Void> flush(String name) {
        Removal removal;
        synchronized (order) {
            List<Message> gone = new ArrayList<>(openReads.removeQueue(name));
            MessageQueue queue = index.get(name);
            if (queue != null) {
                gone.addAll(queue.pollAll());
            }
            if (gone.isEmpty()) {
                return DONE;
            }
            gone.forEach(bodies::release);
            removal = new Removal(gone);
            if (!writer.submit(removal)) {
                return removal.done;
            }
        }
        return sync ? removal.done : DONE;
    }

    /**
     * Kestrel's {@code dump_stats} of the named queues, or of all of them if none is named, by name,
     * read now on the caller's thread (the database too, for queues put aside). Every queue is held
     * at once: a listing of many is {@link #report}'s.
     */
    public List<QueueDump> dump(List<String> names) {
        return QueueListing.whole(report(names));
    }

    /**
     * The figures of the named queues, or of every queue if none is named, in name order, a page at
     * a time: those in memory and those put aside, whose records are read off the caller's thread
     * (on the executor for reads). The queues' lock is held only to count open reads and waiters,
     * once: clients should not wait for a listing. Each queue's own figures are read consistently,
     * under its own lock.
     */
    public QueueReport report(List<String> names) {
        QueueListing.Counts counts = counts();
        return names.isEmpty() ? QueueListing.every(index, store, reads, counts)
                : QueueListing.named(names, index, store, reads, counts);
    }

    private QueueListing.Counts counts() {
        synchronized (order) {
            return new QueueListing.Counts(openReads.countByQueue(), waiters.countByQueue());
        }
    }

    /**
     * The {@code limit} deepest queues in memory, deepest first, ties by name (the metrics' series):
     * an empty queue put aside is not among them.
     */
    public List<QueueDump> deepest(int limit) {
        QueueListing.Counts counts = counts();
        long now = System.currentTimeMillis();
        return index.all().stream()
                .map(queue -> queue.dump(now, counts.openReads(queue.name()), counts.waiters(queue.name())))
                .sorted(Comparator.comparingInt(QueueDump::items).reversed().thenComparing(QueueDump::name))
                .limit(Math.max(0, limit))
                .toList();
    }

    /**
     * The counters timer: while some queue's counters changed since they were written, a batch for
     * them, so that an idle server's reach the disk too, and its emptied queues leave memory.
     */
    public void writeCounters() {
        if (index.anyChanged()) {
            writer.submit(new CounterWrite()); // refused only when stopping: the stop writes them
        }
    }

    /**
     * Writer thread, after counters were written: empty queues whose records hold their counters,
     * neither read open nor waited on, leave memory (their records stay: they exist all the same).
     * Not while idle queues are dropped: that sweep looks for them in memory.
     */
    private void putAside() {
        if (settings.idleDropMillis() > 0) {
            return;
        }
        List<MessageQueue> settled = index.settledAndWritten();
        if (settled.isEmpty()) {
            return;
        }
        synchronized (order) {
            Set<String> read = openReads.countByQueue().keySet();
            for (MessageQueue queue : settled) {
                if (!read.contains(queue.name()) && !waiters.any(queue.name())) {
                    index.putAside(queue);
                }
            }
        }
    }

    /**
     * The idle sweep, run every idle time: drops the queues that are empty, unused since the last
     * sweep, and neither read open nor waited on, with their counters (Kestrel's answer to a queue
     * per user or per job), so a queue goes between one and two idle times after its last use;
     * yields how many.
     */
    public int dropIdleQueues() {
        if (settings.idleDropMillis() <= 0) {
            return 0;
        }
        int dropped = 0;
        synchronized (order) {
            Set<String> read = openReads.countByQueue().keySet();
            for (MessageQueue queue : List.copyOf(index.all())) {
                String name = queue.name();
                if (queue.idleSinceLastLook() && !read.contains(name) && !waiters.any(name)) {
                    // applied when written: dropped then only if still idle
                    Drop drop = new Drop(name, index, () -> detach(name, true), this::reinstate, bodies, holding());
                    if (!submitInOrder(drop).isCompletedExceptionally()) {
                        dropped++;
                    }
                }
            }
        }
        return dropped;
    }

    /** After the lock: delivers what {@link #take} took, reading its body back first if it was evicted. */
    private CompletableFuture<Delivery> deliver(Taken taken) {
        if (taken == null) {
            return NOTHING;
        }
        if (taken == NO_ROOM_TAKEN) {
            return QueueOperations.NO_ROOM;
        }
        if (taken.take() == null) {
            return CompletableFuture.failedFuture(STOPPING); // refused by the stopping writer, put back
        }
        if (taken.body() != null) {
            return delivered(taken, taken.body());
        }
        // only evicted once its insert was committed, so the row is there until it is removed
        return bodies.readBack(taken.message()).handle((read, failure) -> {
            if (taken.open() != null) {
                taken.open().delivered().complete(failure == null ? OpenReads.Delivered.YES
                        : unwrap(failure) instanceof MissingMessage ? OpenReads.Delivered.GONE : OpenReads.Delivered.FAILED);
            }
            if (failure != null) {
                return undelivered(taken, failure);
            }
            if (taken.take() == ReadMode.POP && !sync && !writer.submit(taken.consume())) {
                return undelivered(taken, STOPPING);
            }
            return delivered(taken, read);
        }).thenCompose(delivery -> delivery);
    }

    private CompletableFuture<Delivery> delivered(Taken taken, byte[] body) {
        Message message = taken.message();
        Delivery delivery = new Delivery(message.id(), message.flags(), body);
        if (taken.take() != ReadMode.POP) {
            return CompletableFuture.completedFuture(delivery);
        }
        if (!sync) {
            bodies.release(message);
            return CompletableFuture.completedFuture(delivery);
        }
        if (!writer.submit(taken.consume())) {
            return undelivered(taken, STOPPING);
        }
        return taken.consume().done.thenApply(done -> {
            bodies.release(message);
            return delivery;
        });
    }

    /** A taken message that cannot be delivered goes back where it was; its room is given back. */
    private CompletableFuture<Delivery> undelivered(Taken taken, Throwable why) {
        synchronized (order) {
            boolean held = taken.take() == ReadMode.POP || openReads.remove(taken.reader(), taken.queue(), taken.message());
            // a row cleared by a drop while its body was read back: the drop came first, it is gone
            if (held && !(unwrap(why) instanceof MissingMessage)) {
                putBack(taken.queue(), taken.message());
            }
        }
        taken.room().release(taken.message().size());
        return CompletableFuture.failedFuture(why);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    /**
     * Under the lock: hands the queue's messages to its waiting reads, longest waiting first; the
     * deliveries returned are to be run after the lock is released (none, and nothing allocated,
     * when nobody waits: the common case of every set).
     */
    private List<Runnable> serveWaiters(String name) {
        if (!waiters.any(name)) {
            return List.of();
        }
        List<Runnable> deliveries = new ArrayList<>();
        MessageQueue queue = index.get(name);
        while (queue != null && queue.size() > 0) {
            Waiters.Waiter waiter = waiters.next(name);
            if (waiter == null) {
                break;
            }
            Taken taken = take(queue, waiter.take, waiter.reader, waiter.room);
            deliveries.add(() -> {
                waiter.cancelTimeout();
                deliver(taken).whenComplete((delivery, failure) -> {
                    if (failure != null) {
                        waiter.result.completeExceptionally(failure);
                    } else {
                        waiter.result.complete(delivery); // null too when the room refused: nothing was taken
                    }
                });
            });
        }
        return deliveries;
    }

    /** A message became visible on the queue (sync mode: committed): serves its waiting reads. */
    private void arrived(String name) {
        List<Runnable> deliveries;
        synchronized (order) {
            deliveries = serveWaiters(name);
        }
        deliveries.forEach(Runnable::run);
    }

    private void timedOut(Waiters.Waiter waiter) {
        boolean mine;
        synchronized (order) {
            mine = waiters.remove(waiter);
        }
        if (mine) {
            waiter.result.complete(null);
        }
    }

    /**
     * Drops a queue with its waiting messages; reads open on it stay open. Yields false if there was
     * no such queue. A queue in memory is known to exist at once; of any other, its record tells,
     * so the answer comes once the drop is written.
     */
    public CompletableFuture<Boolean> delete(String name) {
        Drop drop;
        CompletableFuture<Void> submitted;
        synchronized (order) {
            drop = new Drop(name, index, () -> detach(name, false), this::reinstate, bodies, holding());
            submitted = submitInOrder(drop);
        }
        return drop.answersWhenWritten() ? submitted.thenCompose(done -> drop.existed) : submitted.thenApply(done -> true);
    }

    /** Empties the server: every queue and waiting message is dropped; reads open stay open. */
    public CompletableFuture<Void> flushAll() {
        synchronized (order) {
            return submitInOrder(new Drop(null, index, () -> detach(null, false), this::reinstate, bodies, holding()));
        }
    }

    /**
     * Under the lock: queues the drop. Applied when written (sync mode, or the writer holding), the
     * writer takes the queues out when it writes it, and its stage completes after the commit;
     * otherwise they are out now, in submission order, and it is done at once. Refused by a stopping
     * writer, the stage has failed and the queues are back.
     */
    private CompletableFuture<Void> submitInOrder(Drop drop) {
        if (drop.whenRefused() == WriteOp.WhenRefused.FAIL) {
            if (!writer.submit(drop)) {
                drop.failed(); // nothing was detached: only the index hears it ended
            }
            return drop.done;
        }
        drop.apply();
        if (!writer.submit(drop)) {
            drop.failed();
            return drop.done;
        }
        return DONE;
    }

    /**
     * Under the lock: takes the queue (null: every queue) out of the index, with what its drop
     * clears; with {@code ifIdle}, only if it is still empty, not read open and not waited on.
     */
    private Detached detach(String name, boolean ifIdle) {
        synchronized (order) {
            List<MessageQueue> taken = new ArrayList<>();
            if (name == null) {
                for (MessageQueue queue : List.copyOf(index.all())) {
                    if (index.remove(queue.name()) != null) {
                        taken.add(queue);
                    }
                }
            } else {
                MessageQueue queue = index.get(name);
                boolean idle = queue != null && queue.isSettledEmpty() && openReads.countByQueue().get(name) == null
                        && !waiters.any(name);
                if (queue != null && (!ifIdle || idle)) {
                    index.remove(name);
                    taken.add(queue);
                }
            }
            long maxId = 0;
            for (MessageQueue queue : taken) {
                maxId = Math.max(maxId, queue.lastId());
            }
            return new Detached(taken, maxId, openReads.ids(name));
        }
    }

    /** A drop that failed: its queues go back, merged with any made meanwhile. */
    private void reinstate(Detached detached) {
        synchronized (order) {
            for (MessageQueue queue : detached.queues()) {
                index.reinstate(queue);
            }
        }
    }

    /**
     * The ids of the first {@code limit} messages waiting in the queue, in delivery order (not
     * those read open); empty if there is no such queue.
     */
    public List<Long> headIds(String name, int limit) {
        synchronized (order) {
            MessageQueue queue = index.get(name);
            return queue == null ? List.of() : queue.headIds(limit);
        }
    }

    /** Every queue's {@code stats queue} figures, by name, read now (the records of those put aside too). */
    public List<QueueStats> stats() {
        return dump(List.of()).stream()
                .map(queue -> new QueueStats(queue.name(), queue.totalItems(), queue.consumed(), queue.items()))
                .toList();
    }

    /** Messages waiting in all queues. */
    public long depth() {
        return index.depth();
    }

    /** Every queue, those put aside included. */
    public long queueCount() {
        return index.count();
    }

    /** The queues in memory: those holding messages, and those used lately. */
    public int queuesInMemory() {
        return index.size();
    }

    public ReadTotals readTotals() {
        synchronized (order) {
            return new ReadTotals(openReads.total(), waiters.total(), openTimeouts.get(), expired.get(),
                    discarded.get());
        }
    }

    public long cachedBytes() {
        return bodies.used();
    }
}

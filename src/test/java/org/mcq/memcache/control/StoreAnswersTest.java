package org.mcq.memcache.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mcq.memcache.control.CommandLines.command;
import static org.mcq.memcache.control.CommandLines.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mcq.protocol.Command;
import org.mcq.queues.api.Delivery;
import org.mcq.queues.api.OpenReadLost;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueFull;
import org.mcq.queues.api.QueueOperations;
import org.mcq.queues.api.QueueTotals;
import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;
import org.mcq.queues.api.StorageException;

/**
 * What a client reads for each answer a store can give (component tier: the command handling
 * against a fake {@link QueueOperations}, no store behind it): refusals and failures are one
 * {@code SERVER_ERROR} line, never a body or a trace; a connection without room for a body reads
 * what it had room for; opens past the allowance are refused after the store recounted them.
 */
class StoreAnswersTest {

    /** Answers the test sets, and what it was asked. */
    private static final class FakeQueues implements QueueOperations {
        CompletableFuture<Void> setAnswer = CompletableFuture.completedFuture(null);
        final Deque<CompletableFuture<Delivery>> readAnswers = new ArrayDeque<>();
        CompletableFuture<Void> closeAnswer = CompletableFuture.completedFuture(null);
        int openReads;
        final List<String> asked = new ArrayList<>();

        @Override
        public CompletableFuture<Void> set(String queue, long flags, long exptime, byte[] body) {
            asked.add("set " + queue);
            return setAnswer;
        }

        @Override
        public CompletableFuture<Delivery> read(String queue, ReadMode mode, Object reader, Room room, long waitMillis) {
            asked.add(mode.name().toLowerCase() + " " + queue);
            CompletableFuture<Delivery> answer = readAnswers.poll();
            return answer == null ? CompletableFuture.completedFuture(null) : answer;
        }

        @Override
        public CompletableFuture<Void> close(String queue, Object reader) {
            asked.add("close " + queue);
            return closeAnswer;
        }

        @Override
        public CompletableFuture<Void> abort(String queue, Object reader) {
            asked.add("abort " + queue);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public int openReads(String queue, Object reader) {
            return openReads;
        }

        @Override
        public CompletableFuture<Void> recountOpenReads(String queue, Object reader) {
            asked.add("recount " + queue);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void readerGone(Object reader) {
            asked.add("gone");
        }

        @Override
        public void endWaits(Object reader) {
            asked.add("end waits");
        }

        @Override
        public CompletableFuture<Void> flush(String queue) {
            return CompletableFuture.failedFuture(new StorageException("disk full", null));
        }

        @Override
        public CompletableFuture<Integer> flushExpired(String queue) {
            return CompletableFuture.completedFuture(3);
        }

        @Override
        public CompletableFuture<List<QueueDump>> dump(List<String> queues) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<List<Long>> headIds(String queue, int limit) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Boolean> delete(String queue) {
            return CompletableFuture.completedFuture(queue.equals("known"));
        }

        @Override
        public CompletableFuture<Void> flushAll() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> checkpoint() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> archive() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<QueueTotals> totals() {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }

    private final FakeQueues store = new FakeQueues();
    private final MemcacheCommands commands = new MemcacheCommands(store, new Statistics(), "0.2", 2, 1000);
    private final InProcessLink connection = new InProcessLink(commands);

    private String send(String line) throws Exception {
        return text(commands.onCommand(command(line), connection).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    private String set(String queue, String body) throws Exception {
        Command set = command("set " + queue + " 0 0 " + body.length(), body);
        return text(commands.onCommand(set, connection).toCompletableFuture().get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<Delivery> delivery(String body) {
        return CompletableFuture.completedFuture(new Delivery(1, 0, body.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aFullQueueIsAServerErrorThatSaysSo() throws Exception {
        store.setAnswer = CompletableFuture.failedFuture(new QueueFull());
        assertEquals("SERVER_ERROR queue full\r\n", set("jobs", "x"));
    }

    @Test
    void aStorageFailureIsOneLineOfAtMost200Characters() throws Exception {
        store.setAnswer = CompletableFuture.failedFuture(new StorageException("write failed:\r\nsecond line " + "x".repeat(400), null));
        String reply = set("jobs", "x");
        assertTrue(reply.startsWith("SERVER_ERROR write failed: second line x"), reply);
        assertEquals(1, reply.split("\r\n", -1).length - 1, "one line: " + reply);
        assertEquals("SERVER_ERROR ".length() + 200 + 2, reply.length());
        assertEquals("SERVER_ERROR disk full\r\n", send("flush jobs"));
    }

    @Test
    void noRoomForTheFirstBodyIsMemcachedsOutOfMemoryError() throws Exception {
        store.readAnswers.add(QueueOperations.NO_ROOM);
        assertEquals("SERVER_ERROR out of memory writing get response\r\n", send("get a b"));
        assertEquals(List.of("pop a"), store.asked, "the keys after it are not read: their messages stay queued");
    }

    @Test
    void noRoomForALaterBodyEndsTheReplyWithWhatWasTaken() throws Exception {
        store.readAnswers.add(delivery("first"));
        store.readAnswers.add(QueueOperations.NO_ROOM);
        assertEquals("VALUE a 0 5\r\nfirst\r\nEND\r\n", send("get a b c"));
        assertEquals(List.of("pop a", "pop b"), store.asked);
    }

    @Test
    void aPopThatFailedReadsAsAMissAndTheOthersAreDelivered() throws Exception {
        store.readAnswers.add(CompletableFuture.failedFuture(new StorageException("cannot read the body back", null)));
        store.readAnswers.add(delivery("second"));
        assertEquals("VALUE b 0 6\r\nsecond\r\nEND\r\n", send("get a b"));
    }

    @Test
    void aCloseOfAReadLostWhileThisServerWasSilentIsAnError() throws Exception {
        store.closeAnswer = CompletableFuture.failedFuture(new OpenReadLost());
        store.readAnswers.add(delivery("next"));
        String reply = send("get q/close/open");
        assertTrue(reply.startsWith("SERVER_ERROR open read lost"), reply);
    }

    @Test
    void opensPastTheAllowanceAreRefusedAfterTheStoreRecountsThem() throws Exception {
        store.openReads = 2;
        assertEquals("CLIENT_ERROR too many open reads\r\n", send("get q/open"));
        assertEquals(List.of("recount q"), store.asked, "nothing was read");
        store.asked.clear();
        assertEquals("END\r\n", send("get q/close/open"), "a close lets one go first");
        assertEquals(List.of("close q", "open q"), store.asked);
    }

    @Test
    void deleteAndFlushExpiredAnswerAsTheStoreSays() throws Exception {
        assertEquals("DELETED\r\n", send("delete known"));
        assertEquals("NOT_FOUND\r\n", send("delete unknown"));
        assertEquals("3\r\n", send("flush_expired q"));
    }

    @Test
    void aGoneConnectionIsToldToTheStore() {
        connection.close();
        assertEquals(List.of("gone"), store.asked);
    }
}

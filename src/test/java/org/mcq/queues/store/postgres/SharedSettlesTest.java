package org.mcq.queues.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mcq.model.Wire.call;
import static org.mcq.model.Wire.line;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mcq.model.Link;

/**
 * A connection's closes and aborts of one queue settle its open reads in the order they were asked,
 * even when one must first pass over a read that another server's {@code flush} removed (which takes
 * a round trip to the database). Found by SharedModelIT (seed 1796479186275, step 602): the close
 * asked the database about the flushed read while the abort behind it in the same {@code get} gave
 * back the read the close was meant to confirm, and the next key delivered that job again.
 */
class SharedSettlesTest {

    private static SharedEngine.Database database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void anAbortBehindACloseWaitsForTheCloseToPassOverAFlushedRead() throws Exception {
        try (SharedEngine servers = new SharedEngine(database, 2, true, 3);
             Link worker = servers.connect(0);
             Link other = servers.connect(1)) {
            assertEquals("STORED", call(other, "set jobs 0 0 5\r\nfirst"));
            assertEquals("VALUE jobs/open 0 5", call(worker, "get jobs/open"));
            assertEquals("first", line(worker.replies()));
            assertEquals("END", line(worker.replies()));
            assertEquals("END", call(other, "flush jobs"), "the flush confirms the worker's open read, on the other server");
            assertEquals("STORED", call(other, "set jobs 0 0 6\r\nsecond"));
            assertEquals("VALUE jobs/open 0 6", call(worker, "get jobs/open"));
            assertEquals("second", line(worker.replies()));
            assertEquals("END", line(worker.replies()));

            // the close confirms "second" (passing over the flushed read), the open and the abort find
            // nothing, and the last key has nothing to pop
            assertEquals("END", call(worker, "get jobs/close/open jobs/abort jobs/close jobs"));
            assertEquals("0", database.cluster.query("SELECT COUNT(*) FROM MESSAGES WHERE QUEUE_NAME = 'jobs'"),
                    "second was confirmed, not given back");
        }
    }
}

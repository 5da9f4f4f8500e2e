package org.mcq.queues.store.postgres;

import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mcq.model.Target;
import org.mcq.queues.rules.QueueLimits;
import org.mcq.queues.rules.QueueRulesContract;

/** The queue rules on the shared store, one server on a private PostgreSQL, in sync mode. */
class SharedRulesTest extends QueueRulesContract {

    private static SharedEngine.Database database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = new SharedEngine.Database();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Override
    protected Target start(Function<String, QueueLimits> limits, boolean expiry) throws Exception {
        return new SharedEngine(database, 1, true, 3, limits, expiry);
    }
}

package org.mcq.queues.store.derby;

import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.mcq.model.Target;
import org.mcq.queues.rules.QueueLimits;
import org.mcq.queues.rules.QueueRulesContract;

/** The queue rules on the Derby store, in sync mode. */
class DerbyRulesTest extends QueueRulesContract {

    private static final DerbyEngine.Database DATABASE = new DerbyEngine.Database("rules");

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }

    @Override
    protected Target start(Function<String, QueueLimits> limits, boolean expiry) throws Exception {
        return new DerbyEngine(DATABASE, new QueueSet.Settings(true, 5, 1 << 20, 1000, 0, expiry, 0), 3, limits);
    }
}

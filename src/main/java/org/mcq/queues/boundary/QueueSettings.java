package org.mcq.queues.boundary;

import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.mcq.queues.control.QueueLimits;

/**
 * Each queue's limits from MicroProfile Config (server.xml variables, environment): the defaults
 * for all queues ({@code mcq.queue.max.messages}, {@code .max.bytes}, {@code .max.age.s},
 * {@code .full.policy}) and the same per queue name ({@code mcq.queue.<name>.max.messages}, ...),
 * which win. Asked once when a queue is made.
 */
final class QueueSettings {

    private static final Logger LOG = Logger.getLogger(QueueSettings.class.getName());
    private static final String PREFIX = "mcq.queue.";

    private final Config config;
    private final QueueLimits defaults;

    QueueSettings(Config config) {
        this.config = config;
        this.defaults = new QueueLimits(number(PREFIX + "max.messages", 0), number(PREFIX + "max.bytes", 0),
                number(PREFIX + "max.age.s", 0) * 1000, dropOldest(PREFIX + "full.policy", false));
    }

    QueueLimits limits(String queue) {
        String prefix = PREFIX + queue + ".";
        QueueLimits limits = new QueueLimits(number(prefix + "max.messages", defaults.maxMessages()),
                number(prefix + "max.bytes", defaults.maxBytes()),
                number(prefix + "max.age.s", defaults.maxAgeMillis() / 1000) * 1000,
                dropOldest(prefix + "full.policy", defaults.dropOldest()));
        return limits.equals(QueueLimits.NONE) ? QueueLimits.NONE : limits.equals(defaults) ? defaults : limits;
    }

    private long number(String name, long otherwise) {
        return config.getOptionalValue(name, Long.class).orElse(otherwise);
    }

    private boolean dropOldest(String name, boolean otherwise) {
        Optional<String> policy = config.getOptionalValue(name, String.class);
        if (policy.isEmpty()) {
            return otherwise;
        }
        return switch (policy.get()) {
            case "drop-oldest" -> true;
            case "reject" -> false;
            default -> {
                LOG.warning(name + " must be reject or drop-oldest, not " + policy.get() + "; using "
                        + (otherwise ? "drop-oldest" : "reject"));
                yield otherwise;
            }
        };
    }
}

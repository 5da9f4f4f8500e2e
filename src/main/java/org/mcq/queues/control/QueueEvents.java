package org.mcq.queues.control;

/**
 * Told when a queue comes into being or goes (metrics keep a series per queue). Called on the
 * thread that made or dropped it, sometimes under the queues' lock: it must return at once and
 * must not call back into the queues. A queue may be reported made twice; dropped, once per drop.
 */
public interface QueueEvents {

    QueueEvents NONE = new QueueEvents() {
        @Override
        public void created(String queue) {
        }

        @Override
        public void dropped(String queue) {
        }
    };

    void created(String queue);

    void dropped(String queue);
}

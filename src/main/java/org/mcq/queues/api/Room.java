package org.mcq.queues.api;

/**
 * Room a consumer keeps for the bodies it takes (a connection's reply memory): reserved before a
 * message is taken, released by the read if the message is not delivered after all.
 */
public interface Room {
    Room UNLIMITED = new Room() {
        @Override
        public boolean reserve(int bytes) {
            return true;
        }

        @Override
        public void release(int bytes) {
        }
    };

    boolean reserve(int bytes);

    void release(int bytes);
}

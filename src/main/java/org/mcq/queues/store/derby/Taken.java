package org.mcq.queues.store.derby;

import org.mcq.queues.api.ReadMode;
import org.mcq.queues.api.Room;

/**
 * What a read took under the queues' lock, to be delivered (its body read back if need be) after
 * it. {@code take} is null when the stopping writer refused the removal and the message was put
 * back (the read fails as the server stopping); otherwise {@code body} is null when the body was
 * evicted and must be read back from disk.
 */
record Taken(String queue, Message message, byte[] body, ReadMode take, Object reader, Room room,
             Consume consume, OpenReads.OpenRead open) {

    /** A read that found the head but had no room for it: nothing was taken. */
    static final Taken NO_ROOM = new Taken(null, null, null, null, null, null, null, null);
}

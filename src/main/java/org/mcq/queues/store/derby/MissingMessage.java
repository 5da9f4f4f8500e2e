package org.mcq.queues.store.derby;

import org.mcq.queues.api.StorageException;

/** A message whose row is not in the database (cleared by a drop while it was being read back). */
final class MissingMessage extends StorageException {

    MissingMessage(long id) {
        super("message " + id + " is missing from the database", null);
    }
}

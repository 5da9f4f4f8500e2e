package org.mcq.queues.store.derby;

import java.util.ArrayList;
import java.util.List;

/**
 * A fanout set: the message and its copies for the queue's subscribers, one op, so one batch writes
 * them all and one commit makes them durable together (a crash keeps all or none). Every insert
 * joins its queue as a lone one would, at once or once committed.
 */
final class Copies extends WriteOp {

    private final List<Insert> inserts;

    /** @param own the set's own insert, into its queue; {@code copies} those into its subscribers */
    Copies(Insert own, List<Insert> copies) {
        List<Insert> all = new ArrayList<>(1 + copies.size());
        all.add(own);
        all.addAll(copies);
        this.inserts = all;
    }

    @Override
    void addTo(Batch batch) {
        inserts.forEach(insert -> insert.addTo(batch));
    }

    /** All alike: they join at once, or all once committed. */
    @Override
    WhenRefused whenRefused() {
        return inserts.get(0).whenRefused();
    }

    @Override
    boolean urgent() {
        return inserts.get(0).urgent();
    }

    @Override
    int bytes() {
        int bytes = 0;
        for (Insert insert : inserts) {
            bytes += insert.bytes();
        }
        return bytes;
    }

    @Override
    int writtenBytes() {
        int bytes = 0;
        for (Insert insert : inserts) {
            bytes += insert.writtenBytes();
        }
        return bytes;
    }

    /** Each body by itself, as each insert takes its share off when a pop comes first ({@link Intake#skipped}). */
    @Override
    long work(int bytesPerUnit) {
        long work = 1;
        for (Insert insert : inserts) {
            work += insert.writtenBytes() / bytesPerUnit;
        }
        return work;
    }

    @Override
    void committed() {
        inserts.forEach(Insert::committed);
    }

    @Override
    void failed() {
        inserts.forEach(Insert::failed);
    }
}

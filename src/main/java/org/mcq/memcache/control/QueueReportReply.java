package org.mcq.memcache.control;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mcq.protocol.Reply;
import org.mcq.queues.api.QueueDump;
import org.mcq.queues.api.QueueReport;

/**
 * {@code stats queue} and {@code dump_stats}, written as the queues are read: each page of the
 * report becomes one chunk of text, made once, then {@code END}. A report that fails part way ends
 * with {@code SERVER_ERROR <reason>} instead of {@code END}.
 */
final class QueueReportReply implements Reply.Chunks {

    private static final Logger LOG = Logger.getLogger(QueueReportReply.class.getName());
    private static final byte[] END = "END\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** How one queue is written. */
    private interface Format {
        void append(QueueDump queue, StringBuilder text);
    }

    private final QueueReport report;
    private final Format format;
    private final int bytesPerQueue;
    private boolean ended;

    private QueueReportReply(QueueReport report, Format format, int bytesPerQueue) {
        this.report = report;
        this.format = format;
        this.bytesPerQueue = bytesPerQueue;
    }

    /**
     * One line per queue: {@code STAT <queue> <stored>/<consumed>} as MemcacheQ 0.2 writes it, or
     * just {@code STAT <queue>} as 0.1 did, which Zend_Queue's adapter needs to find its queues.
     */
    static Reply statsQueue(QueueReport report, boolean namesOnly) {
        return new Reply.Streamed(new QueueReportReply(report, (queue, text) -> {
            text.append("STAT ").append(queue.name());
            if (!namesOnly) {
                text.append(' ').append(queue.totalItems()).append('/').append(queue.consumed());
            }
            text.append("\r\n");
        }, 32));
    }

    /** Kestrel's {@code dump_stats}: a block per queue. */
    static Reply dumpStats(QueueReport report) {
        return new Reply.Streamed(new QueueReportReply(report, (queue, text) -> text
                .append("queue '").append(queue.name()).append("' {\r\n")
                .append("  items=").append(queue.items()).append("\r\n")
                .append("  bytes=").append(queue.bytes()).append("\r\n")
                .append("  age=").append(queue.ageMillis()).append("\r\n")
                .append("  open_transactions=").append(queue.openReads()).append("\r\n")
                .append("  waiters=").append(queue.waiters()).append("\r\n")
                .append("  expired_items=").append(queue.expired()).append("\r\n")
                .append("  discarded=").append(queue.discarded()).append("\r\n")
                .append("  total_items=").append(queue.totalItems()).append("\r\n")
                .append("}\r\n"), 180));
    }

    @Override
    public CompletionStage<byte[]> next() {
        if (ended) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<List<QueueDump>> page;
        try {
            page = report.next();
        } catch (RuntimeException e) {
            page = CompletableFuture.failedFuture(e);
        }
        return page.handle((queues, failure) -> {
            if (failure != null) {
                ended = true;
                return failed(failure);
            }
            if (queues.isEmpty()) {
                ended = true;
                return END;
            }
            StringBuilder text = new StringBuilder(queues.size() * bytesPerQueue);
            for (QueueDump queue : queues) {
                format.append(queue, text);
            }
            return text.toString().getBytes(StandardCharsets.ISO_8859_1);
        });
    }

    private static byte[] failed(Throwable failure) {
        LOG.log(Level.WARNING, "listing the queues failed", Replies.cause(failure));
        return ("SERVER_ERROR " + Replies.reason(failure) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}

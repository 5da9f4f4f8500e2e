package org.mcq.memcache.control;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.mcq.protocol.Reply;

/**
 * A command's reply as a stage, and what a failed queue operation answers: every command's reply
 * waits for its operation the same way, and a failure is a {@code SERVER_ERROR} whoever asked.
 */
final class Replies {

    private Replies() {
    }

    static CompletionStage<Reply> now(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    static CompletionStage<Reply> done(CompletableFuture<?> operation, Reply success) {
        return operation.handle((result, failure) -> failure == null ? success : storageError(failure));
    }

    /**
     * A report's reply, made once the queues have answered: at once from memory, or on the thread that
     * asked the database (never the caller's); a report that failed is a {@code SERVER_ERROR}.
     */
    static <T> CompletionStage<Reply> answer(CompletableFuture<T> report, Function<T, Reply> reply) {
        return report.handle((value, failure) -> failure == null ? reply.apply(value) : storageError(failure));
    }

    static Reply storageError(Throwable failure) {
        return Reply.serverError(reason(failure));
    }

    /** The failure a stage's exception stands for. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The failure's message as one line of at most 200 characters: a line break in it would end the reply early. */
    static String reason(Throwable failure) {
        Throwable cause = cause(failure);
        String reason = cause.getMessage() == null ? "storage failure" : cause.getMessage().replaceAll("[\\r\\n]+", " ");
        return reason.length() > 200 ? reason.substring(0, 200) : reason;
    }
}

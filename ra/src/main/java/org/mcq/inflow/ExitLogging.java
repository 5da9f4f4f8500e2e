package org.mcq.inflow;

import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Keeps the server's log records reaching messages.log while the JVM exits. A stop by SIGTERM
 * (systemd's, {@code docker stop}, {@code kill}) runs the JVM's shutdown hooks, and one of them resets
 * java.util.logging: the root logger loses Liberty's handler, and every record logged after that (the
 * listener's stop, the queues' "everything acknowledged is written", a last flush that failed) was
 * dropped without a word, while {@code server stop}'s path logged them. Liberty's LogManager can be
 * told not to reset; a JVM that exits has no handler left to close. Any other LogManager is left as
 * it is.
 */
final class ExitLogging {

    private static final Logger LOG = Logger.getLogger(ExitLogging.class.getName());

    private ExitLogging() {
    }

    static void keepHandlers() {
        LogManager manager = LogManager.getLogManager();
        try {
            manager.getClass().getMethod("disableReset").invoke(manager);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.fine(() -> "log records at the JVM's exit may be lost: " + manager.getClass().getName() + ": " + e);
        }
    }
}

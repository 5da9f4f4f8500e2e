package org.mcq.it;

import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server in default configuration shared by the protocol test classes of a run, started on
 * first use and stopped when the run ends. Tests keep to their own queue names.
 */
public final class SharedServer implements BeforeAllCallback {

    private static LibertyServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        get(context);
    }

    static synchronized LibertyServer get(ExtensionContext context) throws Exception {
        if (server == null) {
            server = LibertyServer.start("shared", Map.of());
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .put(SharedServer.class, (ExtensionContext.Store.CloseableResource) () -> server.stop());
        }
        return server;
    }

    public static synchronized LibertyServer server() {
        if (server == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedServer.class)");
        }
        return server;
    }
}

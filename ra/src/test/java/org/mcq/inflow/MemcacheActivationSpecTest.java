package org.mcq.inflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.InvalidPropertyException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcq.protocol.Credentials;

class MemcacheActivationSpecTest {

    /** As server.xml sets it. */
    static MemcacheActivationSpec shipped() {
        MemcacheActivationSpec spec = new MemcacheActivationSpec();
        spec.setBindAddress("127.0.0.1");
        spec.setPort(22201);
        spec.setMaxConnections(1024);
        spec.setMaxLineLength(8192);
        spec.setMaxMessageSize(1048576);
        spec.setIdleTimeout(0);
        spec.setWorkerThreads(8);
        spec.setClientMemoryMb(0);
        spec.setSocketPath("");
        spec.setSocketMask("0700");
        spec.setTcp("true");
        spec.setUdpPort(0);
        spec.setAuth("false");
        spec.setAuthUsers("");
        spec.setAuthUser("");
        spec.setAuthPassword("");
        return spec;
    }

    @Test
    void theShippedSettingsAreValid() throws InvalidPropertyException {
        shipped().validate();
    }

    @Test
    void wrongValuesAreNamedAsTheSettingsOperatorsWrite() {
        MemcacheActivationSpec spec = shipped();
        spec.setMaxMessageSize(0);
        spec.setPort(70000);
        spec.setWorkerThreads(null);
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertEquals("invalid mcq listener settings: mcq.port=70000: must be a whole number from 0 to 65535; "
                + "mcq.max.message.size=0: must be a whole number from 1 to 2147483645; "
                + "mcq.worker.threads is not set (server.xml's activationSpec sets every property from it)", e.getMessage());
    }

    @Test
    void aUnixSocketIsOffWhenItsPathIsEmptyAndItsSettingsAreChecked() throws InvalidPropertyException {
        assertEquals(null, shipped().toSettings().socketPath());
        MemcacheActivationSpec spec = shipped();
        spec.setSocketPath("mcq.sock");
        spec.setSocketMask("0800");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, spec::validate);
        assertEquals("invalid mcq listener settings: mcq.socket.mask=0800: must be permissions in octal, from 0000 to 0777; "
                + "mcq.socket.path=mcq.sock: must be an absolute path, such as /var/run/mcq/mcq.sock", e.getMessage());

        spec = shipped();
        spec.setSocketPath(System.getProperty("java.io.tmpdir") + "/mcq.sock");
        spec.setSocketMask("770");
        spec.validate();
        assertEquals(0770, spec.toSettings().socketMode());
        spec.setTcp("false");
        spec.validate();
        assertEquals(false, spec.toSettings().tcp());

        MemcacheActivationSpec nowhere = shipped();
        nowhere.setTcp("off");
        InvalidPropertyException closed = assertThrows(InvalidPropertyException.class, nowhere::validate);
        assertEquals("invalid mcq listener settings: mcq.tcp=off: needs mcq.socket.path "
                + "(without the TCP port, the unix socket is the only way in)", closed.getMessage());
    }

    @Test
    void aUserWrittenInTheSettingsMayAuthenticateBesideTheUsersFile(@TempDir Path temp)
            throws Exception {
        MemcacheActivationSpec spec = shipped();
        spec.setAuth("true");
        spec.setAuthUser("app");
        spec.setAuthPassword("secret");
        spec.validate();
        Credentials alone = spec.toSettings().credentials();
        assertTrue(alone.accept("app", "secret".getBytes()));
        assertFalse(alone.accept("app", "wrong".getBytes()));

        Path users = Files.writeString(temp.resolve("users"), "ops:other\n");
        spec.setAuthUsers(users.toString());
        spec.validate();
        Credentials both = spec.toSettings().credentials();
        assertTrue(both.accept("app", "secret".getBytes()));
        assertTrue(both.accept("ops", "other".getBytes()));

        Files.writeString(users, "app:another\n");
        InvalidPropertyException twice = assertThrows(InvalidPropertyException.class, spec::validate);
        assertEquals("invalid mcq listener settings: mcq.auth.users: mcq.auth.user app is in the users file too",
                twice.getMessage());
    }
}

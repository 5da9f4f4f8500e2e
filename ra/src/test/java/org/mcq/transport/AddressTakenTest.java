package org.mcq.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * Which failed binds are worth trying again: decided by the address, never by the OS's words, which
 * come in the system's language ("Adresse déjà utilisée" on a French machine).
 */
class AddressTakenTest {

    @Test
    void aBindThatFailedOnAnAddressOfThisMachineMayPass() {
        assertTrue(AddressTaken.inUse(new BindException("Adresse déjà utilisée"), new InetSocketAddress("127.0.0.1", 22201)));
        assertTrue(AddressTaken.inUse(new BindException("Address already in use"), new InetSocketAddress("0.0.0.0", 22201)));
        assertTrue(AddressTaken.inUse(new BindException("Address already in use"), new InetSocketAddress("127.0.0.2", 22201)));
    }

    @Test
    void anAddressThisMachineDoesNotHaveOrAnotherFailureWillNot() {
        // TEST-NET-1: no interface has it
        assertFalse(AddressTaken.inUse(new BindException("Cannot assign requested address"),
                new InetSocketAddress("192.0.2.1", 22201)));
        assertFalse(AddressTaken.inUse(new IOException("No such file or directory"), new InetSocketAddress("127.0.0.1", 22201)));
    }
}

package org.mcq.model;

import java.io.IOException;
import java.io.InputStream;

/** One client connection: requests go out as bytes, replies come back as a stream of bytes. */
public interface Link extends AutoCloseable {

    void send(byte[] request) throws IOException;

    /** The replies, in the order of the requests. */
    InputStream replies();

    @Override
    void close() throws IOException;
}

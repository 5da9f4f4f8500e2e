package org.mcq.protocol;

/**
 * Input the decoder refused. The reply is sent in the command's place; when {@code close} is set the
 * stream cannot be resynchronised (or must not be) and the connection is closed after the reply.
 *
 * @param reply what to answer, or null to close without a word (binary protocol)
 * @param close whether to close the connection after the reply
 */
public record Rejection(Reply reply, boolean close) implements Decoded {

    static Rejection clientError(String reason) {
        return new Rejection(Reply.clientError(reason), false);
    }

    static Rejection badFormat() {
        return clientError("bad command line format");
    }
}

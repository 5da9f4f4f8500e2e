package org.mcq.admin.boundary;

import org.mcq.queues.control.MessageReader;


/**
 * One waiting message as the admin API shows it (JSON): {@code preview} is the head of the body as
 * text, printable ASCII as it is and every other byte as {@code \xNN}, so any body is safe to show.
 */
public record MessageView(long id, long flags, int size, long storedAt, String preview, boolean previewComplete) {

    static MessageView of(MessageReader.Peek peek) {
        return new MessageView(peek.id(), peek.flags(), peek.size(), peek.storedAt(), escape(peek.head()),
                peek.head().length == peek.size());
    }

    static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                text.append((char) c);
            } else {
                text.append(String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }
}

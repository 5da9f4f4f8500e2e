package org.mcq.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of a command line and what each may be: a key, an unsigned number within a bound, a
 * signed 32-bit number (exptime, delay), an unsigned 64-bit delta. Stricter than memcached's
 * {@code strtoul}: decimal digits only, a minus only where a negative number means something (an
 * exptime, a delay), nothing before or after; a client never sends more.
 */
final class Words {

    /** What {@link #parseInt} answers for a word that is no int. */
    static final long NOT_AN_INT = Long.MIN_VALUE;

    private Words() {
    }

    /** Splits on spaces, collapsing runs of them, as memcached's tokenizer does. */
    static List<String> tokenize(byte[] line, int length) {
        List<String> tokens = new ArrayList<>(6);
        int start = -1;
        for (int i = 0; i <= length; i++) {
            if (i == length || line[i] == ' ') {
                if (start >= 0) {
                    tokens.add(new String(line, start, i - start, StandardCharsets.ISO_8859_1));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return tokens;
    }

    /** Any byte but control characters and space (which cannot reach here), at most 250 of them. */
    static boolean validKey(String key) {
        if (key.isEmpty() || key.length() > Limits.MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The decimal value of {@code token} if it is all digits and at most {@code max}, else -1. */
    static long parseUnsigned(String token, long max) {
        if (token.isEmpty() || token.length() > 19) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    static boolean isUnsigned64(String token) {
        if (token.isEmpty() || token.length() > 20) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return false;
            }
        }
        return token.length() < 20 || token.compareTo("18446744073709551615") <= 0;
    }

    /** The value of {@code token} if it is an optional minus and digits within an int's range, else {@link #NOT_AN_INT}. */
    static long parseInt(String token) {
        boolean negative = token.startsWith("-");
        long magnitude = parseUnsigned(negative ? token.substring(1) : token, Integer.MAX_VALUE);
        if (magnitude < 0) {
            return NOT_AN_INT;
        }
        return negative ? -magnitude : magnitude;
    }
}

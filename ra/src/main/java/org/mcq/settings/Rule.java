package org.mcq.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What a setting's value must be. */
@FunctionalInterface
public interface Rule {

    /** Why {@code value} breaks the rule ("must be …"), or null if it keeps it. */
    String violation(String value);

    /**
     * A whole number from {@code min} to {@code max}, as MicroProfile Config and Liberty read one
     * (surrounding blanks ignored): {@code 10k}, {@code 1.5} or {@code -1} for a size is refused.
     */
    static Rule wholeNumber(long min, long max) {
        return value -> {
            try {
                long number = Long.parseLong(value.strip());
                if (number >= min && number <= max) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // said below, with the range
            }
            return "must be a whole number from " + min + " to " + max;
        };
    }

    /**
     * A yes or a no. MicroProfile Config reads anything but true, yes, y, on and 1 as false, so a typo
     * (mcq.sync=maybe) would silently mean false: only those and their opposites are accepted.
     */
    static Rule flag() {
        List<String> accepted = List.of("true", "false", "yes", "no", "y", "n", "on", "off", "1", "0");
        return value -> accepted.contains(value.strip().toLowerCase(Locale.ROOT)) ? null : "must be true or false";
    }

    /** Whether a value {@link #flag} accepts means true. */
    static boolean isTrue(String flag) {
        return List.of("true", "yes", "y", "on", "1").contains(flag.strip().toLowerCase(Locale.ROOT));
    }

    /** One of {@code values}, exactly. */
    static Rule oneOf(String... values) {
        List<String> accepted = List.of(values);
        return value -> accepted.contains(value.strip()) ? null : "must be one of " + String.join(", ", accepted);
    }

    /**
     * A directory this process may write, or one it may make: the nearest part of the path that
     * exists must be a directory, and writable.
     */
    static Rule writableDirectory() {
        return value -> {
            Path directory;
            try {
                directory = Path.of(value.strip()).toAbsolutePath();
            } catch (InvalidPathException e) {
                return "must be a directory's path";
            }
            Path existing = directory;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null || !Files.isDirectory(existing)) {
                return existing == directory ? "must be a directory, not a file"
                        : "must be a directory that can be made (" + existing + " is a file)";
            }
            if (!Files.isWritable(existing)) {
                return "must be a directory this server's user may write (" + existing + " is not writable)";
            }
            return null;
        };
    }

    /**
     * Where a unix socket can be made: an absolute path in a directory that exists and that this
     * process may write, short enough for a socket's address (107 bytes) while it is bound in a
     * directory of its own beside it first ({@code .mcq} and up to 6 characters, then {@code /s}).
     */
    static Rule socketPath() {
        return value -> {
            Path path;
            try {
                path = Path.of(value.strip());
            } catch (InvalidPathException e) {
                return "must be a file's path";
            }
            if (!path.isAbsolute() || path.getParent() == null) {
                return "must be an absolute path, such as /var/run/mcq/mcq.sock";
            }
            Path directory = path.getParent();
            if (!Files.isDirectory(directory)) {
                return "must be in a directory that exists (" + directory + " does not)";
            }
            if (!Files.isWritable(directory)) {
                return "must be in a directory this server's user may write (" + directory + " is not writable)";
            }
            int longest = 107 - ("/.mcq".length() + 6 + "/s".length()); // the staged path (UnixListener.STAGING_EXTRA)
            if (directory.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > longest) {
                return "must be in a directory whose path is at most " + longest
                        + " bytes long (a unix socket's address is at most 107)";
            }
            if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
                return "must be at most 107 bytes long (a unix socket's address)";
            }
            return null;
        };
    }

    /** A file of users that {@link UserFile} reads. */
    static Rule userFile() {
        return value -> {
            try {
                UserFile.read(Path.of(value.strip()));
                return null;
            } catch (InvalidPathException e) {
                return "must be a file's path";
            } catch (java.io.IOException e) {
                return "must be a readable file of user:password lines (" + e.getMessage() + ")";
            }
        };
    }

    /** A user's name as SASL PLAIN sends it and a users file holds it: no spaces, no colon. */
    static Rule userName() {
        return value -> value.strip().isEmpty() || value.strip().chars().anyMatch(c -> Character.isWhitespace(c) || c == ':')
                ? "must be a name without spaces or colons" : null;
    }

    /** File permission bits in octal, as chmod takes them: 0700, 770, 0777. */
    static Rule octalMode() {
        return value -> value.strip().matches("0?[0-7]{1,3}") ? null : "must be permissions in octal, from 0000 to 0777";
    }

    static Rule notBlank() {
        return value -> value.isBlank() ? "must not be empty" : null;
    }
}

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

    static Rule notBlank() {
        return value -> value.isBlank() ? "must not be empty" : null;
    }
}

package org.mcq.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mcq.protocol.Credentials;

/**
 * The users of {@code mcq.auth.users}: a file of {@code user:password} lines (blank lines and
 * {@code #} comments skipped), read once at start. Passwords are compared in constant time.
 */
public final class UserFile implements Credentials {

    private static final byte[] UNKNOWN = new byte[32];

    private final Map<String, byte[]> passwords;

    private UserFile(Map<String, byte[]> passwords) {
        this.passwords = passwords;
    }

    /** Reads the file; fails with the reason, naming the line, if it holds no user or a line is not {@code user:password}. */
    public static UserFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, byte[]> passwords = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1 || line.substring(0, colon).chars().anyMatch(Character::isWhitespace)) {
                throw new IOException(file + " line " + (i + 1) + " is not user:password");
            }
            String user = line.substring(0, colon);
            if (passwords.put(user, line.substring(colon + 1).getBytes(StandardCharsets.UTF_8)) != null) {
                throw new IOException(file + " line " + (i + 1) + " names " + user + " again");
            }
        }
        if (passwords.isEmpty()) {
            throw new IOException(file + " names no user");
        }
        return new UserFile(passwords);
    }

    /**
     * These users and one more, named in the settings; fails if the file names it too (two
     * passwords for one name: which is meant cannot be told).
     */
    public UserFile with(String user, String password) throws IOException {
        Map<String, byte[]> all = new HashMap<>(passwords);
        if (all.put(user, password.getBytes(StandardCharsets.UTF_8)) != null) {
            throw new IOException("mcq.auth.user " + user + " is in the users file too");
        }
        return new UserFile(all);
    }

    /** The one user named in the settings. */
    public static UserFile of(String user, String password) {
        return new UserFile(Map.of(user, password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean accept(String user, byte[] password) {
        byte[] known = passwords.get(user);
        // an unknown user costs a comparison too, so the time taken does not tell which users exist
        boolean same = MessageDigest.isEqual(known == null ? UNKNOWN : known, password);
        return known != null && same;
    }
}

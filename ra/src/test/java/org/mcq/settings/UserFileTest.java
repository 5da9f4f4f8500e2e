package org.mcq.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFileTest {

    @TempDir
    Path directory;

    @Test
    void usersAndPasswordsAreReadWithCommentsAndBlankLinesSkipped() throws IOException {
        Path file = Files.writeString(directory.resolve("users"), "# the site's workers\n\napp:s3cret:with:colons\n  cron:x  \n");
        UserFile users = UserFile.read(file);
        assertTrue(users.accept("app", "s3cret:with:colons".getBytes(StandardCharsets.UTF_8)), "the first colon ends the name");
        assertTrue(users.accept("cron", "x".getBytes(StandardCharsets.UTF_8)));
        assertFalse(users.accept("app", "s3cret".getBytes(StandardCharsets.UTF_8)));
        assertFalse(users.accept("nobody", "x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBadLineOrNoUserIsRefusedWithTheReason() throws IOException {
        IOException bad = assertThrows(IOException.class,
                () -> UserFile.read(Files.writeString(directory.resolve("bad"), "app:ok\njustaname\n")));
        assertTrue(bad.getMessage().endsWith("line 2 is not user:password"), bad.getMessage());
        IOException twice = assertThrows(IOException.class,
                () -> UserFile.read(Files.writeString(directory.resolve("twice"), "app:one\napp:two\n")));
        assertTrue(twice.getMessage().endsWith("line 2 names app again"), twice.getMessage());
        IOException spaced = assertThrows(IOException.class,
                () -> UserFile.read(Files.writeString(directory.resolve("spaced"), "alice :pw\n")));
        assertTrue(spaced.getMessage().endsWith("line 1 is not user:password"), spaced.getMessage());
        IOException empty = assertThrows(IOException.class,
                () -> UserFile.read(Files.writeString(directory.resolve("empty"), "# nobody yet\n")));
        assertTrue(empty.getMessage().endsWith("names no user"), empty.getMessage());
        assertEquals("must be a readable file of user:password lines (" + directory.resolve("none") + ")",
                Rule.userFile().violation(directory.resolve("none").toString()));
    }
}

package org.mcq.queues.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mcq.queues.rules.QueueLimits;

class SettingsCheckTest {

    /** server.xml as shipped: every setting has its default there. */
    private static final Path SERVER_XML = Path.of("../liberty/src/main/liberty/config/server.xml");
    private static final Pattern VARIABLE = Pattern.compile("<variable name=\"([^\"]+)\" (?:defaultValue|value)=\"([^\"]*)\"");

    private final MapConfig config = new MapConfig();

    @BeforeEach
    void shipped() throws IOException {
        Matcher variable = VARIABLE.matcher(Files.readString(SERVER_XML));
        while (variable.find()) {
            config.variables.put(variable.group(1), variable.group(2));
        }
        assertTrue(config.variables.containsKey("mcq.sync"), "server.xml read from " + SERVER_XML.toAbsolutePath());
    }

    private List<String> problems() {
        return SettingsCheck.problems(config, config.environment::get);
    }

    @Test
    void theShippedSettingsAreRight() {
        assertEquals(List.of(), problems());
    }

    @Test
    void aTypoInAFlagIsRefusedNotReadAsFalse() {
        config.environment.put("MCQ_SYNC", "maybe");
        assertEquals(List.of("MCQ_SYNC=maybe: must be true or false"), problems());
    }

    @Test
    void aQueuesOwnLimitIsCheckedAsItWasWritten() {
        config.environment.put("MCQ_QUEUE_X_MAX_MESSAGES", "10k");
        config.environment.put("mcq_queue_mail_out_max_age_s", "-5");
        config.variables.put("mcq.queue.jobs.full.policy", "drop-newest");
        config.variables.put("mcq.queue.jobs.max.bytes", "1000");
        assertEquals(List.of("MCQ_QUEUE_X_MAX_MESSAGES=10k: must be a whole number from 0 to 9223372036854775807",
                "mcq.queue.jobs.full.policy=drop-newest: must be one of reject, drop-oldest",
                "mcq_queue_mail_out_max_age_s=-5: must be a whole number from 0 to 9223372036854775"), problems());
    }

    @Test
    void negativeSizesAndUnknownChoicesAreRefused() {
        config.environment.put("MCQ_MEMORY_BUDGET_MB", "-1");
        config.environment.put("MCQ_MAX_MESSAGE_SIZE", "0");
        config.environment.put("MCQ_QUEUE_MAX_BYTES", "-10");
        config.variables.put("mcq.db", "mysql");
        config.environment.put("MCQ_DB_PAGE_SIZE", "5000");
        assertEquals(List.of("MCQ_MAX_MESSAGE_SIZE=0: must be a whole number from 1 to 2147483645",
                "MCQ_MEMORY_BUDGET_MB=-1: must be a whole number from 0 to 1048576",
                "MCQ_DB_PAGE_SIZE=5000: must be one of 0, 4096, 8192, 16384, 32768",
                "mcq.db=mysql: must be one of derby, postgresql",
                "MCQ_QUEUE_MAX_BYTES=-10: must be a whole number from 0 to 9223372036854775807"), problems());
    }

    @Test
    void aUnixSocketsPathMustBeWhereOneCanBeMade(@TempDir Path temp) {
        config.environment.put("MCQ_SOCKET_PATH", temp.resolve("missing/mcq.sock").toString());
        config.environment.put("MCQ_SOCKET_MASK", "rwx");
        assertEquals(List.of("MCQ_SOCKET_MASK=rwx: must be permissions in octal, from 0000 to 0777",
                "MCQ_SOCKET_PATH=" + temp.resolve("missing/mcq.sock") + ": must be in a directory that exists ("
                        + temp.resolve("missing") + " does not)"), problems());
        config.environment.put("MCQ_SOCKET_PATH", "/" + "d".repeat(90) + "/mcq.sock");
        config.environment.put("MCQ_SOCKET_MASK", "0770");
        assertEquals(1, problems().size(), "a directory too long, or missing: " + problems());
        config.environment.put("MCQ_SOCKET_PATH", temp.resolve("mcq.sock").toString());
        assertEquals(List.of(), problems());
        config.environment.put("MCQ_TCP", "false");
        assertEquals(List.of(), problems(), "the unix socket alone");
        config.environment.remove("MCQ_SOCKET_PATH");
        assertEquals(List.of("MCQ_TCP=false: needs mcq.socket.path (without the TCP port, the unix socket is the only way in)"),
                problems());
    }

    @Test
    void authenticationNeedsItsUsersAndNoUdp(@TempDir Path temp) throws IOException {
        config.environment.put("MCQ_AUTH", "true");
        assertEquals(List.of("MCQ_AUTH=true: needs mcq.auth.users (a file of user:password lines) or mcq.auth.user and "
                + "mcq.auth.password"), problems());
        config.environment.put("MCQ_AUTH_USER", "app");
        assertEquals(List.of("MCQ_AUTH_USER=app: needs mcq.auth.password"), problems());
        config.environment.put("MCQ_AUTH_PASSWORD", "secret");
        assertEquals(List.of(), problems(), "one user written in the settings");
        config.environment.put("MCQ_AUTH_USER", "a:b");
        assertEquals(List.of("MCQ_AUTH_USER=a:b: must be a name without spaces or colons"), problems());
        config.environment.remove("MCQ_AUTH_USER");
        assertEquals(List.of("mcq.auth.password is set: needs mcq.auth.user"), problems(), "the password is not quoted");
        config.environment.remove("MCQ_AUTH_PASSWORD");
        Path users = Files.writeString(temp.resolve("users"), "app:secret\n");
        config.environment.put("MCQ_AUTH_USERS", users.toString());
        assertEquals(List.of(), problems());
        config.environment.put("MCQ_UDP_PORT", "22201");
        assertEquals(List.of("MCQ_AUTH=true: cannot go with MCQ_UDP_PORT=22201 (UDP has no way to authenticate)"), problems());
        config.environment.remove("MCQ_UDP_PORT");
        Files.writeString(users, "app\n");
        assertEquals(List.of("MCQ_AUTH_USERS=" + users + ": must be a readable file of user:password lines (" + users
                + " line 1 is not user:password)"), problems());
    }

    @Test
    void aLimitWrongAfterTheStartFallsBackToTheDefaultInsteadOfThrowingAtTheWriter() {
        config.variables.put("mcq.queue.max.messages", "50");
        QueueSettings settings = new QueueSettings(config);
        config.environment.put("MCQ_QUEUE_X_MAX_MESSAGES", "10k");
        config.environment.put("MCQ_QUEUE_X_FULL_POLICY", "drop-newest");
        config.environment.put("MCQ_QUEUE_Y_MAX_MESSAGES", "7");
        assertEquals(new QueueLimits(50, 0, 0, false), settings.limits("x"));
        assertEquals(new QueueLimits(7, 0, 0, false), settings.limits("y"));
    }

    @Test
    void derbysDataDirectoryMustBeADirectoryThatIsOrCanBeMadeAndWritten(@TempDir Path temp) throws IOException {
        Path file = Files.createFile(temp.resolve("a-file"));
        config.environment.put("MCQ_DATA_DIR", file.toString());
        assertEquals(List.of("MCQ_DATA_DIR=" + file + ": must be a directory, not a file"), problems());

        config.environment.put("MCQ_DATA_DIR", file.resolve("mcq").toString());
        assertEquals(List.of("MCQ_DATA_DIR=" + file.resolve("mcq") + ": must be a directory that can be made ("
                + file + " is a file)"), problems());

        config.environment.put("MCQ_DATA_DIR", temp.resolve("not/yet/there").toString());
        assertEquals(List.of(), problems(), "made at the first start");

        Path readOnly = Files.createDirectory(temp.resolve("read-only"));
        assertTrue(readOnly.toFile().setWritable(false));
        try {
            config.environment.put("MCQ_DATA_DIR", readOnly.resolve("mcq").toString());
            List<String> problems = problems();
            // root may write anywhere: then there is nothing to refuse
            if (Files.isWritable(readOnly)) {
                assertEquals(List.of(), problems);
            } else {
                assertEquals(List.of("MCQ_DATA_DIR=" + readOnly.resolve("mcq") + ": must be a directory this server's user may write ("
                        + readOnly + " is not writable)"), problems);
            }
        } finally {
            readOnly.toFile().setWritable(true);
        }

        config.environment.put("MCQ_DATA_DIR", file.toString());
        config.variables.put("mcq.db", "postgresql");
        assertEquals(List.of(), problems(), "PostgreSQL keeps no data there");
    }
}

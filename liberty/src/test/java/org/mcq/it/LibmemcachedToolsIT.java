package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Debian's libmemcached-tools, which reject a server whose version has a major of 0. */
@ExtendWith(SharedServer.class)
class LibmemcachedToolsIT {

    private record Run(int exit, String output) {
    }

    private static Run tool(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(name, "--servers=127.0.0.1:" + SharedServer.server().port()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), name);
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void memcstatAndMemcpingSeeAHealthyServer() throws Exception {
        Run stat = tool("memcstat");
        assertEquals(0, stat.exit(), stat.output());
        assertTrue(stat.output().contains("pid:") && stat.output().contains("version: 1."), stat.output());
        Run ping = tool("memcping");
        assertEquals(0, ping.exit(), ping.output());
    }

    @Test
    void memccpMemccatAndMemcrmMoveAFileThroughAQueue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tools-queue");
        Files.writeString(file, "a job from a file\n");
        assertEquals(0, tool("memccp", file.toString()).exit());
        Run cat = tool("memccat", "tools-queue");
        assertEquals(0, cat.exit(), cat.output());
        assertTrue(cat.output().contains("a job from a file"), cat.output());
        assertEquals(0, tool("memccp", file.toString()).exit());
        Run rm = tool("memcrm", "tools-queue");
        assertEquals(0, rm.exit(), rm.output());
        assertTrue(tool("memccat", "tools-queue").exit() != 0, "the queue was removed");
    }
}

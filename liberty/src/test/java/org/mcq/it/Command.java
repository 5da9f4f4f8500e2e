package org.mcq.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, as an operator runs it from a shell: its exit status and its output. */
record Command(int exit, String output) {

    /** Runs {@code command} with {@code environment} added to this process's own. */
    static Command run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        // to a file, not a pipe: a server that the command leaves running would hold a pipe open
        Path output = Files.createTempFile("mcq-command-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(400, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after 400 s: " + String.join(" ", command) + "\n"
                        + Files.readString(output));
            }
            return new Command(process.exitValue(), Files.readString(output));
        } finally {
            Files.delete(output);
        }
    }
}

package org.mcq.bench;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Arrays;

/**
 * Measures what one forced log write costs on this disk, the way Derby writes its log: 700-byte
 * appends to a preallocated file opened {@code "rwd"} (O_DSYNC), one at a time.
 *
 * <pre>java -cp mcq-bench.jar org.mcq.bench.ForcedWriteProbe DIR [WRITES]</pre>
 * Prints {@code FORCED_WRITE p50=…us p99=…us mean=…us}. Run it under the slow-disk library with DIR
 * inside the slowed directory to measure the simulated disk.
 */
public final class ForcedWriteProbe {

    private static final int RECORD = 700;

    private ForcedWriteProbe() {
    }

    public static void main(String[] args) throws IOException {
        File dir = new File(args[0]);
        int writes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        File file = File.createTempFile("forced-write", ".log", dir);
        try {
            try (RandomAccessFile plain = new RandomAccessFile(file, "rw")) {
                plain.setLength((long) RECORD * writes); // preallocated, as Derby's log files are
                plain.getFD().sync();
            }
            byte[] record = new byte[RECORD];
            Arrays.fill(record, (byte) 'l');
            long[] nanos = new long[writes];
            try (RandomAccessFile log = new RandomAccessFile(file, "rwd")) {
                for (int i = 0; i < writes; i++) {
                    long begin = System.nanoTime();
                    log.write(record);
                    nanos[i] = System.nanoTime() - begin;
                }
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1000;
            System.out.printf("FORCED_WRITE p50=%dus p99=%dus mean=%.0fus writes=%d%n",
                    nanos[writes / 2] / 1000, nanos[(int) (writes * 0.99)] / 1000, mean, writes);
        } finally {
            file.delete();
        }
    }
}

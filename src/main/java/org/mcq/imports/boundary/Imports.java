package org.mcq.imports.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.ConfigProvider;
import org.mcq.imports.control.ImportJob;
import org.mcq.queues.boundary.Queues;

/**
 * Imports of a running memcache-protocol queue server's messages (see {@link ImportJob}), each on
 * a thread of its own, kept until the server stops so their outcome can be read.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Imports {

    @EJB
    Queues queues;

    @Resource
    ManagedExecutorService executor;

    private final Map<Long, ImportJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * Starts moving the messages of {@code names} (every queue there if empty) from the server at
     * {@code host:port}; returns at once, with null if an import is running.
     *
     * @throws IllegalStateException if the queues here are not running
     */
    public synchronized ImportJob start(String host, int port, List<String> names) {
        if (jobs.values().stream().anyMatch(job -> job.state() == ImportJob.State.RUNNING)) {
            return null; // two at once would interleave their messages in a queue both move
        }
        int maxBody = ConfigProvider.getConfig().getOptionalValue("mcq.max.message.size", Integer.class).orElse(1024 * 1024);
        ImportJob job = new ImportJob(ids.incrementAndGet(), host, port, names, queues.operations(), maxBody);
        jobs.put(job.id(), job);
        executor.execute(job);
        return job;
    }

    /** Every import since the server started, the latest first. */
    public List<ImportJob> all() {
        return jobs.values().stream().sorted(Comparator.comparingLong(ImportJob::id).reversed()).toList();
    }

    /** The import of {@code id}, or null. */
    public ImportJob get(long id) {
        return jobs.get(id);
    }
}

package org.mcq.admin.boundary;

import java.util.Map;
import org.mcq.imports.control.ImportJob;

/** One import as the admin API shows it (JSON): where from, how far, and how it ended. */
public record ImportView(long id, String source, String state, Boolean reliable, Map<String, Long> moved, long total,
                         String failure, String started, String finished) {

    static ImportView of(ImportJob job) {
        return new ImportView(job.id(), job.source(), job.state().name().toLowerCase(java.util.Locale.ROOT), job.reliable(),
                job.moved(), job.total(), job.failure(), job.started().toString(),
                job.finished() == null ? null : job.finished().toString());
    }
}

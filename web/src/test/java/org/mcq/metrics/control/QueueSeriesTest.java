package org.mcq.metrics.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mcq.queues.api.QueueDump;

class QueueSeriesTest {

    private static QueueDump queue(String name, int items) {
        return new QueueDump(name, items, items * 10L, 0, 0, 0, 0, 0, items, 0);
    }

    @Test
    void theDeepestQueuesHaveSeriesTiesByNameAndChangesAreReportedOnce() {
        QueueSeries series = new QueueSeries(2);
        QueueSeries.Change first = series.update(List.of(queue("c", 1), queue("a", 1), queue("b", 5)));
        assertEquals(new QueueSeries.Change(List.of("a", "b"), List.of()), first, "b deepest, then a before c");
        assertEquals(50, series.figures("b").bytes());
        assertNull(series.figures("c"));

        assertEquals(new QueueSeries.Change(List.of(), List.of()), series.update(List.of(queue("c", 0), queue("a", 2),
                queue("b", 4))), "the same queues: nothing to register");
        assertEquals(2, series.figures("a").items(), "figures follow");

        assertEquals(new QueueSeries.Change(List.of("c"), List.of("b")), series.update(List.of(queue("a", 2), queue("c", 9))),
                "b dropped, c deeper");
        assertEquals(new QueueSeries.Change(List.of(), List.of("a", "c")), series.update(List.of()));
    }

    @Test
    void onlySoManyDistinctNamesEverHaveSeries() {
        QueueSeries series = new QueueSeries(1);
        for (int i = 0; i < QueueSeries.NAMES_PER_SERIES; i++) {
            assertEquals(List.of("job-" + i), series.update(List.of(queue("job-" + i, 1))).added());
        }
        assertEquals(new QueueSeries.Change(List.of(), List.of("job-" + (QueueSeries.NAMES_PER_SERIES - 1))),
                series.update(List.of(queue("job-new", 5))),
                "a name beyond the bound gets no series");
        assertNull(series.figures("job-new"));
        assertEquals(List.of("job-3"), series.update(List.of(queue("job-new", 5), queue("job-3", 1))).added(),
                "a name that had series may have them again");
    }
}

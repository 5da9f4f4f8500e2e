package org.mcq.queues.boundary;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.mcq.settings.ListenerSettings;
import org.mcq.settings.Rule;
import org.mcq.settings.Setting;

/**
 * Every setting mcq reads itself (the listener's, the queues', the metrics'), and every queue's own
 * limits the configuration holds, checked against their rules before the queues start. A wrong one
 * is told named as the operator wrote it ({@code MCQ_SYNC=maybe: must be true or false}): the queues
 * do not start, the memcache port stays closed, and health says why. Nothing reads a setting before
 * this check: MicroProfile Config's own conversion reads {@code maybe} as a valid false, and its
 * message would name the property, not the environment variable. (Liberty's own settings, the HTTP
 * ports and the database's address, Liberty checks.)
 */
public final class SettingsCheck {

    private static final int SECONDS = Integer.MAX_VALUE;

    static final List<Setting> APPLICATION = List.of(
            new Setting("mcq.sync", Rule.flag()),
            new Setting("mcq.flush.interval.ms", Rule.wholeNumber(1, SECONDS)),
            new Setting("mcq.memory.budget.mb", Rule.wholeNumber(0, 1024 * 1024)),
            new Setting("mcq.checkpoint.interval.s", Rule.wholeNumber(0, SECONDS)),
            new Setting("mcq.counters.interval.s", Rule.wholeNumber(0, SECONDS)),
            new Setting("mcq.max.open.reads", Rule.wholeNumber(0, Integer.MAX_VALUE)),
            new Setting("mcq.open.timeout.s", Rule.wholeNumber(0, SECONDS)),
            new Setting("mcq.max.wait.ms", Rule.wholeNumber(0, SECONDS)),
            new Setting("mcq.expiry", Rule.flag()),
            new Setting("mcq.fanout", Rule.flag()),
            new Setting("mcq.queue.idle.drop.s", Rule.wholeNumber(0, SECONDS)),
            // Derby's own bounds: at least 40 pages cached; a log buffer of 8 KiB to 128 MiB; its four page sizes
            new Setting("mcq.db.page.cache.pages", Rule.wholeNumber(40, Integer.MAX_VALUE)),
            new Setting("mcq.db.log.buffer.kb", Rule.wholeNumber(8, 128 * 1024)),
            new Setting("mcq.db.page.size", Rule.oneOf("0", "4096", "8192", "16384", "32768")),
            new Setting("mcq.db", Rule.oneOf("derby", "postgresql")),
            new Setting("mcq.db.port", Rule.wholeNumber(1, 65535)),
            // each writer holds one of the 40 connections of jdbc/mcqWriter, beside the signals', housekeeping's and reports'
            new Setting("mcq.db.writers", Rule.wholeNumber(1, 32)),
            new Setting("mcq.db.takeover.s", Rule.wholeNumber(1, SECONDS)),
            new Setting("mcq.stats.queue.format", Rule.oneOf("0.2", "0.1")),
            new Setting("mcq.metrics.authentication", Rule.flag()),
            new Setting("mcq.metrics.queue.series", Rule.wholeNumber(0, Integer.MAX_VALUE)));

    private SettingsCheck() {
    }

    /** What is wrong, in one line ({@code a setting is wrong: NAME=value: must be …}); null when all is right. */
    static String refusal(Config config) {
        List<String> problems = problems(config, System::getenv);
        return problems.isEmpty() ? null
                : (problems.size() == 1 ? "a setting is" : "settings are") + " wrong: " + String.join("; ", problems);
    }

    /** Derby's database, which Derby would otherwise fail to make with hundreds of lines of log. */
    private static final Setting DATA_DIR = new Setting("mcq.data.dir", Rule.writableDirectory());

    /** Every wrong setting, as {@code NAME=value: must be …}; empty when all are right. */
    static List<String> problems(Config config, UnaryOperator<String> environment) {
        List<String> problems = new ArrayList<>();
        Stream.concat(ListenerSettings.ALL.stream(), APPLICATION.stream()).forEach(setting -> {
            String value = config.getOptionalValue(setting.name(), String.class).orElse(null);
            String problem = value == null ? setting.name() + " is not set (server.xml sets every setting)"
                    : setting.problem(value, environment);
            if (problem != null) {
                problems.add(problem);
            }
        });
        for (Setting optional : ListenerSettings.OPTIONAL) {
            config.getOptionalValue(optional.name(), String.class).filter(value -> !value.isBlank())
                    .map(value -> optional.problem(value, environment)).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            String conflict = ListenerSettings.conflict(
                    name -> config.getOptionalValue(name, String.class).orElse(null), environment);
            if (conflict != null) {
                problems.add(conflict);
            }
        }
        if (config.getOptionalValue("mcq.db", String.class).orElse("derby").strip().equals("derby")) {
            config.getOptionalValue(DATA_DIR.name(), String.class)
                    .map(value -> DATA_DIR.problem(value, environment)).ifPresent(problems::add);
        }
        problems.addAll(QueueSettings.problems(config, environment));
        return problems;
    }
}

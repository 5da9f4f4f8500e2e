package org.mcq.queues.boundary;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.mcq.settings.ListenerSettings;
import org.mcq.settings.Rule;
import org.mcq.settings.Setting;

/**
 * Refuses to start the application while a setting is wrong: every setting mcq reads itself (the
 * listener's, the queues', the metrics'), and every queue's own limits the configuration holds, are
 * checked against their rules before any bean is made. A wrong one is logged in one line, named as
 * the operator wrote it ({@code MCQ_SYNC=maybe: must be true or false}), and the deployment fails,
 * so the memcache port stays closed and {@code /health/ready} and {@code /health/started} stay DOWN.
 * Runs before MicroProfile Config's own check of the injected values, whose message would name the
 * property, not the environment variable, and which reads {@code maybe} as a valid false.
 * (Liberty's own settings, the HTTP ports and the database's address, Liberty checks.)
 */
public class SettingsCheck implements Extension {

    private static final Logger LOG = Logger.getLogger(SettingsCheck.class.getName());
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

    /** Observed first, so that this line is what the log shows of a wrong setting. */
    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) AfterDeploymentValidation deployment) {
        List<String> problems = problems(ConfigProvider.getConfig(SettingsCheck.class.getClassLoader()), System::getenv);
        if (!problems.isEmpty()) {
            String message = "mcq cannot start, " + (problems.size() == 1 ? "a setting is" : "settings are")
                    + " wrong: " + String.join("; ", problems);
            LOG.severe(message);
            deployment.addDeploymentProblem(new IllegalArgumentException(message));
        }
    }

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
        problems.addAll(QueueSettings.problems(config, environment));
        return problems;
    }
}

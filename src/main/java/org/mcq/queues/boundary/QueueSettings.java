package org.mcq.queues.boundary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.mcq.queues.api.StoreSettings;
import org.mcq.queues.rules.QueueLimits;
import org.mcq.settings.Rule;
import org.mcq.settings.Setting;

/**
 * Each queue's limits from MicroProfile Config (server.xml variables, environment): the defaults
 * for all queues ({@code mcq.queue.max.messages}, {@code .max.bytes}, {@code .max.age.s},
 * {@code .full.policy}) and the same per queue name ({@code mcq.queue.<name>.max.messages}, ...,
 * or {@code MCQ_QUEUE_<NAME>_MAX_MESSAGES}), which win. Asked once when a queue is made, by a
 * writer: every one present is checked at start ({@link #problems}), and a value that is wrong all the
 * same (changed since) is logged and replaced by the default, never thrown at the writer.
 */
final class QueueSettings {

    private static final Logger LOG = Logger.getLogger(QueueSettings.class.getName());
    private static final String PREFIX = "mcq.queue.";
    /** Whole seconds that still fit in a long once made milliseconds. */
    private static final long MAX_AGE_SECONDS = Long.MAX_VALUE / 1000;
    /** Each limit's name after the queue's, and its rule. */
    private static final Map<String, Rule> LIMITS = new LinkedHashMap<>();

    static {
        LIMITS.put("max.messages", Rule.wholeNumber(0, Long.MAX_VALUE));
        LIMITS.put("max.bytes", Rule.wholeNumber(0, Long.MAX_VALUE));
        LIMITS.put("max.age.s", Rule.wholeNumber(0, MAX_AGE_SECONDS));
        LIMITS.put("full.policy", Rule.oneOf("reject", "drop-oldest"));
    }

    /** A queue's own limit as a server.xml variable, or as an environment variable in any of the spellings Config reads. */
    private static final Pattern VARIABLE = Pattern.compile("mcq\\.queue\\..+\\.(max\\.messages|max\\.bytes|max\\.age\\.s|full\\.policy)");
    private static final Pattern ENVIRONMENT = Pattern.compile("mcq_queue_.+_(max_messages|max_bytes|max_age_s|full_policy)",
            Pattern.CASE_INSENSITIVE);

    private final Config config;
    private final QueueLimits defaults;

    QueueSettings(Config config) {
        this.config = config;
        this.defaults = new QueueLimits(number(PREFIX, "max.messages", 0), number(PREFIX, "max.bytes", 0),
                number(PREFIX, "max.age.s", 0) * 1000, dropOldest(PREFIX + "full.policy", false));
    }

    QueueLimits limits(String queue) {
        String prefix = PREFIX + queue + ".";
        QueueLimits limits = new QueueLimits(number(prefix, "max.messages", defaults.maxMessages()),
                number(prefix, "max.bytes", defaults.maxBytes()),
                number(prefix, "max.age.s", defaults.maxAgeMillis() / 1000) * 1000,
                dropOldest(prefix + "full.policy", defaults.dropOldest()));
        return limits.equals(QueueLimits.NONE) ? QueueLimits.NONE : limits.equals(defaults) ? defaults : limits;
    }

    /**
     * What is wrong with the limits for all queues and with every queue's own that the configuration
     * holds, each named as it was written ({@code MCQ_QUEUE_JOBS_MAX_MESSAGES=10k: must be …}).
     */
    static List<String> problems(Config config, UnaryOperator<String> environment) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Rule> limit : LIMITS.entrySet()) {
            check(config, new Setting(PREFIX + limit.getKey(), limit.getValue()), environment, problems);
        }
        Set<String> names = new TreeSet<>();
        config.getPropertyNames().forEach(names::add);
        for (String name : names) {
            Matcher variable = VARIABLE.matcher(name);
            Matcher environmental = ENVIRONMENT.matcher(name);
            String limit = variable.matches() ? variable.group(1)
                    : environmental.matches() ? environmental.group(1).toLowerCase(Locale.ROOT).replace('_', '.') : null;
            if (limit != null) {
                check(config, new Setting(name, LIMITS.get(limit)), environment, problems);
            }
        }
        return problems;
    }

    private static void check(Config config, Setting setting, UnaryOperator<String> environment, List<String> problems) {
        config.getOptionalValue(setting.name(), String.class)
                .map(value -> setting.problem(value, environment))
                .ifPresent(problems::add);
    }

    private long number(String prefix, String limit, long otherwise) {
        String name = prefix + limit;
        Optional<String> value = config.getOptionalValue(name, String.class);
        if (value.isEmpty()) {
            return otherwise;
        }
        String violation = LIMITS.get(limit).violation(value.get());
        if (violation != null) {
            LOG.warning(name + "=" + value.get() + ": " + violation + "; using " + otherwise);
            return otherwise;
        }
        return Long.parseLong(value.get().strip());
    }

    private boolean dropOldest(String name, boolean otherwise) {
        Optional<String> policy = config.getOptionalValue(name, String.class).map(String::strip);
        if (policy.isEmpty()) {
            return otherwise;
        }
        return switch (policy.get()) {
            case "drop-oldest" -> true;
            case "reject" -> false;
            default -> {
                LOG.warning(name + "=" + policy.get() + ": must be reject or drop-oldest; using "
                        + (otherwise ? "drop-oldest" : "reject"));
                yield otherwise;
            }
        };
    }

    /**
     * The store's settings, read once {@link SettingsCheck} has found them right: never injected,
     * since MicroProfile Config's checks at deployment would fail the whole application on a wrong
     * one, before it can say which, and take a flag's typo for false.
     */
    static StoreSettings store(Config config) {
        return new StoreSettings(
                config.getValue("mcq.sync", Boolean.class),
                wholeNumber(config, "mcq.flush.interval.ms"),
                wholeNumber(config, "mcq.memory.budget.mb"),
                wholeNumber(config, "mcq.checkpoint.interval.s"),
                wholeNumber(config, "mcq.counters.interval.s"),
                wholeNumber(config, "mcq.open.timeout.s"),
                config.getValue("mcq.expiry", Boolean.class),
                config.getValue("mcq.fanout", Boolean.class),
                wholeNumber(config, "mcq.queue.idle.drop.s"),
                (int) wholeNumber(config, "mcq.db.page.cache.pages"),
                (int) wholeNumber(config, "mcq.db.log.buffer.kb"),
                (int) wholeNumber(config, "mcq.db.page.size"),
                config.getValue("mcq.db", String.class).strip(),
                (int) wholeNumber(config, "mcq.db.writers"),
                wholeNumber(config, "mcq.db.takeover.s"),
                config.getValue("mcq.host", String.class).strip(),
                (int) wholeNumber(config, "mcq.port"),
                config.getOptionalValue("mcq.data.dir", String.class).map(String::strip).orElse(""),
                config.getOptionalValue("mcq.backup.dir", String.class).map(String::strip).orElse(""));
    }

    /** Checked to be a whole number in its range, as {@link org.mcq.settings.Rule#wholeNumber} reads one. */
    private static long wholeNumber(Config config, String name) {
        return Long.parseLong(config.getValue(name, String.class).strip());
    }
}

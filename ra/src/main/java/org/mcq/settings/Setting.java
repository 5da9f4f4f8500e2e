package org.mcq.settings;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One setting and its {@link Rule}. Operators write it as a server.xml variable
 * ({@code mcq.max.message.size}) or as the environment variable that overrides it
 * ({@code MCQ_MAX_MESSAGE_SIZE}, or the name as it is, or with {@code _} for {@code .}, as Liberty
 * and MicroProfile Config also look up): a problem is told under the name the operator used, with
 * the value, so it can be found where it was written.
 *
 * @param name the server.xml variable, or the name a setting was found under (an environment variable's)
 */
public record Setting(String name, Rule rule) {

    /** Why {@code value} is refused, as {@code NAME=value: must be …}; null if it is not. */
    public String problem(String value, UnaryOperator<String> environment) {
        String violation = rule.violation(value);
        return violation == null ? null : written(value, environment) + "=" + value + ": " + violation;
    }

    /** The environment variable that holds {@code value} for this setting, else the name itself. */
    public String written(String value, UnaryOperator<String> environment) {
        String underscored = name.replaceAll("[^A-Za-z0-9_]", "_");
        for (String spelling : List.of(name, underscored, underscored.toUpperCase(Locale.ROOT))) {
            if (value.equals(environment.apply(spelling))) {
                return spelling;
            }
        }
        return name;
    }
}

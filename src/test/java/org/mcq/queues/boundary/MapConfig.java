package org.mcq.queues.boundary;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * MicroProfile Config as the server has it, in memory: server.xml's variables, overridden by
 * environment variables found by the spellings Config looks up (the name, with {@code _} for other
 * characters, in capitals). Converts to String and Long only, as Config would ({@code 10k} throws).
 */
final class MapConfig implements Config {

    final Map<String, String> variables = new HashMap<>();
    final Map<String, String> environment = new HashMap<>();

    private Optional<String> raw(String name) {
        String underscored = name.replaceAll("[^A-Za-z0-9_]", "_");
        for (String spelling : List.of(name, underscored, underscored.toUpperCase(Locale.ROOT))) {
            if (environment.containsKey(spelling)) {
                return Optional.of(environment.get(spelling));
            }
        }
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
        return raw(name).map(value -> type.cast(type == Long.class ? (Object) Long.valueOf(value.strip()) : value));
    }

    @Override
    public <T> T getValue(String name, Class<T> type) {
        return getOptionalValue(name, type).orElseThrow();
    }

    @Override
    public Iterable<String> getPropertyNames() {
        Set<String> names = new LinkedHashSet<>(variables.keySet());
        names.addAll(environment.keySet());
        return names;
    }

    @Override
    public ConfigValue getConfigValue(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Optional<Converter<T>> getConverter(Class<T> type) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        throw new UnsupportedOperationException();
    }
}

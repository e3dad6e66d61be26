package dev.mlsuite.detox.training;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} arguments of the training and evaluation commands. */
public final class CommandLine {

    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    public CommandLine(String[] args, String usage) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Invalid argument '" + args[i] + "'. Usage: " + usage);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    public Path path(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name + ". Usage: " + usage);
        }
        return Path.of(value);
    }

    public Path pathOr(String name, String fallback) {
        return Path.of(values.getOrDefault(name, fallback));
    }

    public int intOr(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    public double doubleOr(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    public String stringOr(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}

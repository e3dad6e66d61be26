package dev.mlsuite.ocr.training;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses {@code --name value} pairs of the command-line tools. */
public final class Options {

    private Options() {
    }

    /** Returns the pairs from {@code args[start]} on; an option without a value is an error. */
    public static Map<String, String> parse(String[] args, int start) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = start; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}

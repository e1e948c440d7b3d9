package dev.esctl.cli;

/**
 * Configures slf4j-simple before the first logger is created: one line per event on stderr,
 * {@code key=value} fields, ISO timestamps. Commands other than {@code serve} log warnings and
 * errors only, so stdout and stderr stay clean in pipelines.
 */
final class Logging {
    private Logging() {}

    private static final String PREFIX = "org.slf4j.simpleLogger.";
    private static String level = "warn";

    static void configure(String defaultLevel) {
        setIfAbsent("logFile", "System.err");
        setIfAbsent("showDateTime", "true");
        setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showShortLogName", "true");
        setIfAbsent("levelInBrackets", "false");
        level = System.getProperty(PREFIX + "defaultLogLevel", java.util.Set.of("trace", "debug", "info", "warn", "error", "off").contains(defaultLevel) ? defaultLevel : "warn");
        System.setProperty(PREFIX + "defaultLogLevel", level);
    }

    /** The level for a command line: --log-level if given, else info for serve and warn for the rest. */
    static String levelFor(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-level") && i + 1 < args.length) return args[i + 1];
            if (args[i].startsWith("--log-level=")) return args[i].substring("--log-level=".length());
        }
        for (String a : args) {
            if (!a.startsWith("-")) return a.equals("serve") ? "info" : "warn";
        }
        return "warn";
    }

    static void check(String level) {
        if (!java.util.Set.of("trace", "debug", "info", "warn", "error", "off").contains(level)) {
            throw new picocli.CommandLine.TypeConversionException("--log-level '" + level + "' is not one of error, warn, info, debug");
        }
    }

    /** Lets one logger write info lines whatever the level (the access log, once asked for). Before that logger exists. */
    static void enable(String logger) {
        setIfAbsent("log." + logger, "info");
    }

    static boolean debugEnabled() {
        return level.equals("debug") || level.equals("trace");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) System.setProperty(PREFIX + key, value);
    }
}

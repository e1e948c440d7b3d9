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
        level = System.getProperty(PREFIX + "defaultLogLevel", defaultLevel);
        System.setProperty(PREFIX + "defaultLogLevel", level);
    }

    static void setLevel(String newLevel) {
        level = newLevel;
        System.setProperty(PREFIX + "defaultLogLevel", newLevel);
    }

    static boolean debugEnabled() {
        return level.equals("debug") || level.equals("trace");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) System.setProperty(PREFIX + key, value);
    }
}

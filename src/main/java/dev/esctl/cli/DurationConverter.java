package dev.esctl.cli;

import picocli.CommandLine;

/** Parses durations into milliseconds: {@code 500ms}, {@code 10s}, {@code 2m}; a bare number is seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase();
        try {
            if (v.endsWith("ms")) return Long.parseLong(v.substring(0, v.length() - 2).trim());
            if (v.endsWith("s")) return Math.round(Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000);
            if (v.endsWith("m")) return Math.round(Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 60_000);
            return Math.round(Double.parseDouble(v) * 1000);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m)");
        }
    }
}

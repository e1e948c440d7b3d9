package dev.esctl.cli;

import picocli.CommandLine;

/** Parses sizes: a number of bytes, optionally with a binary unit: {@code 4096}, {@code 64KiB}, {@code 256M}, {@code 1GiB}. */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        String v = value.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) i++;
        if (i == 0) throw new CommandLine.TypeConversionException("'" + value + "' is not a size (e.g. 4096, 64KiB, 256MiB, 1GiB)");
        long n;
        try {
            n = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        }
        long unit = switch (v.substring(i).trim().toUpperCase()) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' has an unknown unit (use KiB, MiB or GiB)");
        };
        if (n > Long.MAX_VALUE / unit) throw new CommandLine.TypeConversionException("'" + value + "' is too large");
        return n * unit;
    }
}

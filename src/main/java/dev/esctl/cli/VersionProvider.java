package dev.esctl.cli;

import picocli.CommandLine;

/** {@code esctl --version}: the version from the jar manifest, and the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        String v = Esctl.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "esctl " + version(),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}

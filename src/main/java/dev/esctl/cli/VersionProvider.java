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
        java.util.Properties build = new java.util.Properties();
        try (var in = VersionProvider.class.getResourceAsStream("/esctl-build.properties")) {
            if (in != null) build.load(in);
        } catch (java.io.IOException e) {
            // No build facts: the version line alone.
        }
        return new String[] {
                "esctl " + version(),
                "built " + build.getProperty("built", "unknown") + ", frame format " + dev.esctl.storage.FrameLayout.FORMAT_VERSION,
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}

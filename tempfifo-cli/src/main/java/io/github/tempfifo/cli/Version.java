package io.github.tempfifo.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.PrintWriter;

/** {@code --version}: the version from the jar's manifest, and the Java running it. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return lines();
    }

    static void print(PrintWriter out) {
        for (String line : lines()) {
            out.println(line);
        }
    }

    private static String[] lines() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "tempfifo " + (version != null ? version : "(development build)"),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}

package io.github.tempfifo.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class of the tests in a new JVM like this one: same java, class path and
 * backend options, so that both backends are exercised there too.
 */
public final class ChildJvm {
    private static final String ENV = "/usr/bin/env";
    private static final boolean DEFAULT_SIGNAL_SUPPORTED = Cmd.run(ENV, "--default-signal=HUP,INT,TERM", "true").status() == 0;

    private ChildJvm() {
    }

    /** The command line for a JVM like this one running {@code mainClass} with {@code args}. */
    public static List<String> command(Class<?> mainClass, String... args) {
        return command(List.of(), mainClass, args);
    }

    /** As {@link #command(Class, String...)} with extra JVM options (e.g. {@code -Dname=value}). */
    public static List<String> command(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        String backend = System.getProperty("tempfifo.backend");
        if (backend != null) {
            cmd.add("-Dtempfifo.backend=" + backend);
        }
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** As {@link #command} under {@code /bin/sh} with the given umask (e.g. "0277"). */
    public static List<String> withUmask(String umask, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        cmd.addAll(command);
        return cmd;
    }

    /**
     * {@code command} with SIGHUP, SIGINT and SIGTERM set to their default action: a test that
     * sends one of them must not depend on how the build was started ({@code nohup} ignores
     * SIGHUP, a background job of a non-interactive shell SIGINT), and a JVM started with a
     * signal ignored keeps ignoring it.
     */
    public static List<String> withDefaultSignals(List<String> command) {
        Assumptions.assumeTrue(DEFAULT_SIGNAL_SUPPORTED, "env --default-signal (coreutils 8.31+) is needed to un-ignore signals");
        List<String> cmd = new ArrayList<>(List.of(ENV, "--default-signal=HUP,INT,TERM"));
        cmd.addAll(command);
        return cmd;
    }

    public static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}

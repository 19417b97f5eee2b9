package io.github.tempfifo.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The self-contained bundle, tempfifo-VERSION-linux-ARCH.tar.gz, untarred into a fresh directory
 * (with a space in its path) and run as a user without a JDK would: PATH holds only a few tools
 * (no java, no mvn), JAVA_HOME is unset, and, when the test runs as root, /usr/lib/jvm is hidden
 * under an empty tmpfs in a private mount namespace, so that no JDK of the machine is reachable.
 */
class BundleIT {
    @TempDir
    static Path work;

    static Path home;   // the untarred tempfifo-VERSION directory
    static Path tools;  // the only directory on PATH: sh and a few commands, no java
    static boolean hiddenJdks;

    @BeforeAll
    static void untar() throws Exception {
        assumeFalse(Boolean.getBoolean("tempfifo.bundle.skip"), "bundle not built (-Dtempfifo.bundle.skip)");
        String version = System.getProperty("tempfifo.version");
        Path target = Path.of(System.getProperty("tempfifo.target"));
        List<Path> tarballs;
        try (Stream<Path> files = Files.list(target)) {
            tarballs = files.filter(p -> p.getFileName().toString().matches(
                    "tempfifo-\\Q" + version + "\\E-linux-[a-z0-9_]+\\.tar\\.gz")).collect(Collectors.toList());
        }
        assertThat(tarballs).as("the bundle made by mvn package in %s", target).hasSize(1);

        Path opt = Files.createDirectories(work.resolve("opt dir"));
        Result untar = run(List.of("tar", "-xzf", tarballs.get(0).toString(), "-C", opt.toString()), Map.of());
        assertThat(untar.status).as(untar.err).isZero();
        home = opt.resolve("tempfifo-" + version);

        tools = Files.createDirectories(work.resolve("tools"));
        for (String tool : List.of("sh", "cat", "seq", "diff", "sleep", "head", "readlink")) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
        hiddenJdks = "root".equals(System.getProperty("user.name")) && Files.isDirectory(Path.of("/usr/lib/jvm"))
                && Files.isExecutable(Path.of("/usr/bin/unshare"))
                && run(List.of("/usr/bin/unshare", "-m", "/bin/sh", "-c", which("mount") + " -t tmpfs none /usr/lib/jvm"), Map.of()).status == 0;
    }

    static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        throw new AssertionError(tool + " not found");
    }

    /** Runs COMMAND as a user without a JDK would: see the class comment. */
    static Result bare(Map<String, String> env, String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (hiddenJdks) {
            cmd.addAll(List.of("/usr/bin/unshare", "-m", "/bin/sh", "-c",
                    which("mount") + " -t tmpfs none /usr/lib/jvm && exec \"$0\" \"$@\""));
        }
        cmd.addAll(List.of(command));
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("PATH", tools.toString());
        return run(cmd, environment);
    }

    @Test
    void noJavaOrMavenIsReachable() throws Exception {
        Result r = bare(Map.of(), "/bin/sh", "-c", "command -v java; command -v mvn; command -v javac; echo \"JAVA_HOME=$JAVA_HOME\"");
        assertThat(r.out.trim()).as("what the bundle's commands could find").isEqualTo("JAVA_HOME=");
        if (hiddenJdks) {
            r = bare(Map.of(), "/bin/sh", "-c", "for f in /usr/lib/jvm/* /usr/bin/java; do [ -e \"$f\" ] && echo \"$f\"; done; true");
            assertThat(r.out).as("JDKs left visible").isBlank();
        }
    }

    @Test
    void versionRunsOnTheBundledRuntime() throws Exception {
        Result r = bare(Map.of(), home.resolve("bin/tempfifo").toString(), "--version");
        assertThat(r.status).as(r.err).isZero();
        String runtimeVersion = Files.readAllLines(home.resolve("runtime/release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow()
                .replaceAll("JAVA_VERSION=\"?([^\"]*)\"?", "$1");
        assertThat(r.out).startsWith("tempfifo " + System.getProperty("tempfifo.version") + "\n")
                .contains("Java " + runtimeVersion);
    }

    @Test
    void theAotCacheIsUsableWhereverTheBundleIsUntarred() throws Exception {
        Path aot = home.resolve("lib/tempfifo.aot");
        assumeTrue(Files.exists(aot), "no AOT cache (built on a JDK older than 24)");
        // AOTMode=on: the JVM refuses to start unless it can use the cache (not just ignore it).
        Result r = bare(Map.of("TEMPFIFO_JAVA_OPTS", "-XX:AOTMode=on"), home.resolve("bin/tempfifo").toString(), "--version");
        assertThat(r.status).as(r.out + r.err).isZero();
    }

    @Test
    void processSubstitutionWorks() throws Exception {
        Result r = bare(Map.of(), home.resolve("bin/tempfifo").toString(),
                "run", "--in", "seq 1 5", "--in", "seq 3 7", "--", "diff", "{1}", "{2}");
        assertThat(r.status).as("diff's status: the inputs differ; " + r.err).isEqualTo(1);
        assertThat(r.out).contains("< 1", "< 2", "> 6", "> 7");
    }

    @Test
    void runsThroughASymbolicLinkOnThePath() throws Exception {
        Path bin = Files.createDirectories(work.resolve("user-bin"));
        Files.createSymbolicLink(bin.resolve("tempfifo"), home.resolve("bin/tempfifo"));
        Result r = bare(Map.of("PATH", bin + File.pathSeparator + tools), "/bin/sh", "-c", "tempfifo --version");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).startsWith("tempfifo ");
    }

    @Test
    void theRuntimeHasJustTheModulesTheCliNeedsAndNoJdkTools() throws Exception {
        Result r = bare(Map.of(), home.resolve("runtime/bin/java").toString(), "--list-modules");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out.lines().map(l -> l.replaceAll("@.*", ""))).contains("java.base")
                .doesNotContain("java.desktop", "java.sql", "jdk.compiler");
        assertThat(home.resolve("runtime/bin/javac")).doesNotExist();
        assertThat(home.resolve("runtime/bin/jlink")).doesNotExist();
    }

    @Test
    void manFindsThePageWhenTheBundlesBinIsOnThePath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/man")), "man is not installed");
        Result r = bare(Map.of("PATH", home.resolve("bin") + File.pathSeparator + tools), "/usr/bin/man", "-w", "tempfifo");
        assertThat(r.status).as(r.err).isZero();
        assertThat(Path.of(r.out.trim()).toRealPath()).isEqualTo(home.resolve("share/man/man1/tempfifo.1").toRealPath());
        assertThat(Files.readString(home.resolve("share/man/man1/tempfifo-run.1"))).contains(".TH \"TEMPFIFO\\-RUN\" \"1\"");
        // the shell's $$, as in --help (not picocli's "$$" escape rendered as "$")
        assertThat(Files.readString(home.resolve("share/man/man1/tempfifo-mk.1")))
                .contains("fifo=$(tempfifo mk \\-\\-owner $$) || exit").contains("e.g. $$ in a script");
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        String script = home.resolve("share/bash-completion/completions/tempfifo").toString();
        Result r = bare(Map.of(), which("bash").toString(), "-c", "source \"$1\" && COMP_WORDS=(tempfifo r) COMP_CWORD=1"
                + " && _complete_tempfifo 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script);
        assertThat(r.out.lines()).as(r.err).containsExactlyInAnyOrder("run", "rm");
        r = bare(Map.of(), which("bash").toString(), "-c", "source \"$1\" && COMP_WORDS=(tempfifo run --i) COMP_CWORD=2"
                + " && _complete_tempfifo 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script);
        assertThat(r.out.lines()).as(r.err).containsExactly("--in");
    }

    @Test
    void zshRegistersTheCompletion() throws Exception {
        Path zsh = Path.of("/usr/bin/zsh");
        assumeTrue(Files.isExecutable(zsh), "zsh is not installed");
        String script = home.resolve("share/bash-completion/completions/tempfifo").toString();
        Result r = bare(Map.of(), zsh.toString(), "-c", "autoload -U +X compinit && compinit -u"
                + " && autoload -U +X bashcompinit && bashcompinit && source \"$1\" && print -r -- \"$_comps[tempfifo]\"", "zsh", script);
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).as("zsh's completer for tempfifo").contains("-F _complete_tempfifo");
    }

    record Result(int status, String out, String err) {
    }

    static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.environment().put("HOME", work.toString());
            pb.environment().put("TMPDIR", work.toString());
        }
        Process p = pb.start();
        CompletableFuture<String> out = Cli.drain(p.getInputStream());
        CompletableFuture<String> err = Cli.drain(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }
}

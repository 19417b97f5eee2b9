package io.github.tempfifo;

import io.github.tempfifo.testing.Cmd;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block in README.md is a complete program that compiles as printed against
 * the built jar (at {@code --release 17}) and runs: once on this JVM (22+, FFM backend) and once on
 * the portable pass's Java. Each run gets its own temporary base directory, which must be empty
 * afterwards.
 */
class ReadmeIT {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?ms)^```java\\n(.*?)^```$");
    private static final Pattern PUBLIC_CLASS = Pattern.compile("(?m)^public (?:final )?class (\\w+)");

    @TempDir
    static Path work;

    record Program(int line, String className, String source) {
    }

    static List<Program> programs() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("tempfifo.test.readme")));
        List<Program> programs = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            int line = (int) readme.substring(0, block.start()).lines().count() + 1;
            Matcher cls = PUBLIC_CLASS.matcher(block.group(1));
            assertThat(cls.find())
                    .as("README.md line %d: a ```java block must be a complete program (imports, a public class with main)", line)
                    .isTrue();
            assertThat(block.group(1)).as("README.md line %d: no main method", line)
                    .contains("public static void main(String[] args)");
            programs.add(new Program(line, cls.group(1), block.group(1)));
        }
        assertThat(programs).as("java blocks in README.md").isNotEmpty();
        assertThat(programs.stream().map(Program::className).distinct().count())
                .as("class names of the README programs are distinct").isEqualTo(programs.size());
        return programs;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException, InterruptedException {
        List<Program> programs = programs();
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        String jdk = System.getProperty("java.home");
        List<String> args = new ArrayList<>(List.of(Path.of(jdk, "bin", "javac").toString(),
                "--release", "17", "-Xlint:all", "-proc:none",
                "-cp", jar(), "-d", classes.toString()));
        for (Program p : programs) {
            Path file = src.resolve(p.className() + ".java");
            Files.writeString(file, p.source());
            args.add(file.toString());
        }
        Process javac = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> diagnostics = Cmd.drain(javac.getInputStream());
        assertThat(javac.waitFor(120, TimeUnit.SECONDS)).as("javac finished").isTrue();
        assertThat(javac.exitValue()).as("javac on the README's java blocks:%n%s", diagnostics.join()).isZero();

        String here = Path.of(jdk, "bin", "java").toString();
        String portable = System.getProperty("tempfifo.test.portableJava", here);
        List<String> portableArgs = List.of(System.getProperty("tempfifo.test.portableArgs", "").split(" +"));
        return programs.stream().flatMap(p -> Stream.of(
                DynamicTest.dynamicTest(p.className() + " (README.md line " + p.line() + "), ffm",
                        () -> run(p, classes, here, List.of("--enable-native-access=ALL-UNNAMED"), "ffm")),
                DynamicTest.dynamicTest(p.className() + " (README.md line " + p.line() + "), portable",
                        () -> run(p, classes, portable, portableArgs, "portable"))));
    }

    static String jar() {
        Path jar = Path.of(System.getProperty("tempfifo.test.jar"));
        assertThat(jar).as("the built jar (run by failsafe after package)").isRegularFile();
        return jar.toString();
    }

    void run(Program p, Path classes, String java, List<String> jvmArgs, String backend) throws Exception {
        Path base = Files.createTempDirectory(work, p.className() + "-" + backend);
        List<String> cmd = new ArrayList<>(List.of(java));
        jvmArgs.stream().filter(a -> !a.isEmpty()).forEach(cmd::add);
        cmd.addAll(List.of("-Djava.io.tmpdir=" + base, "-cp", jar() + File.pathSeparator + classes,
                p.className()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("XDG_RUNTIME_DIR"); // so that the default base is java.io.tmpdir: ours
        pb.environment().put("TMPDIR", base.toString());
        Process process = pb.start();
        CompletableFuture<String> out = Cmd.drain(process.getInputStream());
        CompletableFuture<String> err = Cmd.drain(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError(p.className() + " did not finish within 60 s; output: " + out.join() + err.join());
        }
        String output = "stdout:\n" + out.join() + "\nstderr:\n" + err.join();
        assertThat(process.exitValue()).as("%s on %s exits 0%n%s", p.className(), java, output).isZero();
        assertThat(err.join()).as(output).doesNotContain("Exception");
        assertThat(out.join()).as("%s prints something", p.className()).isNotBlank();
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left).as("%s left nothing behind in its base directory", p.className()).isEmpty();
        }
    }
}

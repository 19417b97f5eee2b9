package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every recipe of docs/cookbook.md exactly as printed: each {@code ## } section's {@code sh}
 * block runs with {@code bash -e -o pipefail} in a fresh directory (its {@code java} blocks saved
 * there first), with bin/ on the PATH and a real PostgreSQL server (run as {@code postgres}) in
 * PGHOST/PGPORT/PGUSER; its standard output must equal the section's {@code text} block. Nothing
 * may be left in the FIFOs' base directory.
 */
class CookbookIT {
    static final Path COOKBOOK = Path.of("../docs/cookbook.md").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```$");
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");
    private static PostgresServer pg;

    record Recipe(String title, List<String> java, String sh, String expected) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    static List<Recipe> recipes() throws IOException {
        String doc = Files.readString(COOKBOOK);
        List<Recipe> recipes = new ArrayList<>();
        String[] sections = doc.split("(?m)^## ");
        for (int i = 1; i < sections.length; i++) {
            String section = sections[i];
            String title = section.substring(0, section.indexOf('\n')).trim();
            List<String> java = new ArrayList<>();
            String sh = null;
            String text = null;
            Matcher m = BLOCK.matcher(section);
            while (m.find()) {
                switch (m.group(1)) {
                    case "java" -> java.add(m.group(2));
                    case "sh" -> {
                        assertThat(sh).as(title + ": one sh block").isNull();
                        sh = m.group(2);
                    }
                    case "text" -> text = m.group(2);
                    default -> throw new AssertionError(title + ": unexpected block " + m.group(1));
                }
            }
            assertThat(sh).as(title + ": an sh block").isNotNull();
            assertThat(text).as(title + ": a text block (the expected output)").isNotNull();
            recipes.add(new Recipe(title, java, sh, text));
        }
        return recipes;
    }

    @Test
    void theCookbookHasTheRecipesTheIssueAsksFor() throws IOException {
        String all = recipes().stream().map(r -> r.title + "\n" + r.sh + String.join("\n", r.java)).collect(Collectors.joining("\n"));
        assertThat(all).contains("COPY numbers FROM '{}'", "COPY squares TO '{}'", "\\copy", "--share-with postgres",
                "--share-with-group postgres", ".import {} t", "seq 1 1000000", "sort -m", "comm ", "join ", "paste ", "diff ",
                "--out 'gzip", "tar -cf {}", "openssl dgst", "FifoProcessBuilder", "sqlite3", "COPY loaded FROM");
    }

    @TestFactory
    Stream<DynamicTest> everyRecipeRunsAsPrinted() throws IOException {
        return recipes().stream().map(r -> DynamicTest.dynamicTest(r.title, () -> run(r)));
    }

    private void run(Recipe recipe) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "cookbook-");
        Path base = Files.createTempDirectory(Path.of("/tmp"), "cookbook-fifos-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x")); // postgres must reach it
        try {
            for (String java : recipe.java) {
                Matcher m = CLASS.matcher(java);
                assertThat(m.find()).as("a public class in the java block").isTrue();
                Files.writeString(work.resolve(m.group(1) + ".java"), java);
            }
            if (!recipe.java.isEmpty()) {
                Files.createSymbolicLink(work.resolve("tempfifo.jar"), libraryJar());
            }
            Map<String, String> env = new HashMap<>(pg.environment());
            env.put("PATH", Cli.LAUNCHER.getParent() + ":" + System.getenv("PATH"));
            env.put("TMPDIR", base.toString());
            List<String> cmd = List.of("bash", "-e", "-o", "pipefail", "-c", "cd \"$1\" && eval \"$2\"", "recipe", work.toString(),
                    recipe.sh);
            PostgresServer.Result r = PostgresServer.run(cmd, null, env);
            assertThat(r.status()).as(recipe.title + " exit status; stderr: " + r.err()).isZero();
            assertThat(r.out()).as(recipe.title + "; stderr: " + r.err()).isEqualTo(recipe.expected);
            assertThat(base.toFile().list()).as("nothing left behind").isEmpty();
        } finally {
            PostgresServer.run(List.of("rm", "-rf", work.toString(), base.toString()));
        }
    }

    /** The library jar (tempfifo/target/tempfifo-VERSION.jar), else the CLI's, which holds the library too. */
    private static Path libraryJar() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("../tempfifo/target").toAbsolutePath().normalize())) {
            return jars.filter(p -> p.getFileName().toString().matches("tempfifo-[0-9][^/]*(?<!-sources|-javadoc|-tests)\\.jar"))
                    .findFirst().orElse(Path.of(System.getProperty("tempfifo.jar")));
        }
    }
}

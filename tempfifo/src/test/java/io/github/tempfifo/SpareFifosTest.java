package io.github.tempfifo;

import io.github.tempfifo.testing.Child;
import io.github.tempfifo.testing.ChildJvm;
import io.github.tempfifo.testing.FifoChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portable backend's spare FIFOs (made ahead by one mkfifo run): each FIFO still in its own
 * new private directory with exact modes; spares only in the default base, removed at exit, and
 * by sweep after a crash.
 */
class SpareFifosTest {
    @TempDir
    Path base;

    private List<String> command(int count, String action) {
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "XDG_RUNTIME_DIR")); // the default base: java.io.tmpdir
        cmd.addAll(ChildJvm.command(List.of("-Djava.io.tmpdir=" + base, "-Dtempfifo.backend=portable"),
                FifoChild.class, base.toString(), Integer.toString(count), "own", action));
        return cmd;
    }

    @Test
    void eachFifoInItsOwnPrivateDirectorySparesGoAtExit() throws Exception {
        List<Path> dirs;
        try (Child child = Child.start(command(20, "close"))) {
            dirs = child.linesUntil("ready").stream().map(Path::of).collect(Collectors.toList());
            assertThat(dirs).hasSize(20).doesNotHaveDuplicates();
            for (Path dir : dirs) {
                assertThat(dir.getParent()).isEqualTo(base);
                assertThat(dir.getFileName().toString()).endsWith("." + child.pid() + "_" + startTime(child.pid()));
                assertThat(mode(dir)).isEqualTo("rwx------");
                assertThat(contents(dir)).containsExactly(dir.resolve("fifo"));
                assertThat(mode(dir.resolve("fifo"))).isEqualTo("rw-------");
                assertThat((Boolean) Files.getAttribute(dir.resolve("fifo"), "isOther", LinkOption.NOFOLLOW_LINKS)).isTrue();
            }
            List<Path> others = contents(base);
            others.removeAll(dirs);
            assertThat(others).as("one stash of spares, named and owned like a private directory").hasSize(1);
            Path stash = others.get(0);
            assertThat(stash.getFileName().toString()).startsWith("tempfifo-").endsWith("." + child.pid() + "_" + startTime(child.pid()));
            assertThat(mode(stash)).isEqualTo("rwx------");
            assertThat(contents(stash)).isNotEmpty().allSatisfy(spare -> assertThat(mode(spare)).isEqualTo("rw-------"));

            child.writeLine("close");
            assertThat(child.readLine()).isEqualTo("closed");
            assertThat(contents(base)).containsExactly(stash);
            child.closeInput();
            assertThat(child.waitFor()).isZero();
        }
        assertThat(contents(base)).as("the spares are removed at exit").isEmpty();
    }

    @Test
    void aCrashLeavesSparesThatSweepRemoves() throws Exception {
        try (Child child = Child.start(command(5, "wait"))) {
            assertThat(child.linesUntil("ready")).hasSize(5);
            child.process().destroyForcibly();
            child.waitFor();
        }
        assertThat(contents(base)).hasSize(6);
        assertThat(TempFifo.sweep(base)).hasSize(6);
        assertThat(contents(base)).isEmpty();
    }

    @Test
    void noSparesInABaseTheCallerChose() throws Exception {
        Path chosen = Files.createDirectory(base.resolve("chosen"));
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "XDG_RUNTIME_DIR"));
        cmd.addAll(ChildJvm.command(List.of("-Djava.io.tmpdir=" + base, "-Dtempfifo.backend=portable"),
                FifoChild.class, chosen.toString(), "10", "own", "close"));
        try (Child child = Child.start(cmd)) {
            assertThat(child.linesUntil("ready")).hasSize(10);
            assertThat(contents(chosen)).hasSize(10);
            assertThat(contents(base)).containsExactly(chosen);
            child.writeLine("close");
            assertThat(child.readLine()).isEqualTo("closed");
            assertThat(contents(chosen)).isEmpty();
            child.closeInput();
            assertThat(child.waitFor()).isZero();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static long startTime(long pid) throws IOException {
        String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    private static List<Path> contents(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().collect(Collectors.toList());
        }
    }
}

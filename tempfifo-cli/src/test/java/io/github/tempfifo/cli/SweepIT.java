package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tempfifo sweep}: removes a dead owner's directory, keeps a live owner's, --dry-run removes nothing. */
class SweepIT {
    @TempDir
    Path base;

    @AfterEach
    void nothingLeft() throws IOException {
        Cli.assertEmpty(base);
    }

    private Path mk(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "mk";
        all[1] = "--dir";
        all[2] = base.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        Cli.Result r = Cli.run(base, all);
        assertThat(r.status()).as(r.err()).isZero();
        return Path.of(r.out().trim());
    }

    @Test
    void sweepRemovesWhatDeadOwnersLeftAndOnlyThat() throws Exception {
        Process live = new ProcessBuilder("/usr/bin/env", "--default-signal=TERM", "sleep", "120").start();
        Process dead = new ProcessBuilder("/usr/bin/env", "--default-signal=TERM", "sleep", "120").start();
        try {
            Path liveFifo = mk("--owner", Long.toString(live.pid()));
            Path deadFifo = mk("--owner", Long.toString(dead.pid()));
            Path unowned = mk();
            Path notOurs = Files.createDirectory(base.resolve("tempfifo-aaaaaaaaaaaaaaaa.1_1x"));
            dead.destroy();
            dead.waitFor();

            Cli.Result dry = Cli.run(base, "sweep", "--dir", base.toString(), "--dry-run");
            assertThat(dry.status()).as(dry.err()).isZero();
            assertThat(dry.out()).isEqualTo(deadFifo.getParent() + "\n");
            assertThat(deadFifo).exists();

            Cli.Result r = Cli.run(base, "sweep", "--dir", base.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(deadFifo.getParent() + "\n");
            assertThat(deadFifo.getParent()).doesNotExist();
            assertThat(liveFifo).exists();
            assertThat(unowned).exists(); // younger than 24h
            assertThat(notOurs).exists();

            // Unowned ones go by age; TMPDIR is the default base.
            dry = Cli.run(base, "sweep", "--older-than", "0", "--dry-run");
            assertThat(dry.out()).isEqualTo(unowned.getParent() + "\n");
            assertThat(unowned).exists();
            r = Cli.run(base, "sweep", "--older-than", "0s");
            assertThat(r.out()).isEqualTo(unowned.getParent() + "\n");
            assertThat(unowned.getParent()).doesNotExist();
            assertThat(liveFifo).exists();

            live.destroy();
            live.waitFor();
            r = Cli.run(base, "sweep");
            assertThat(r.out()).isEqualTo(liveFifo.getParent() + "\n");
            assertThat(notOurs).exists();
            Files.delete(notOurs);
        } finally {
            live.destroyForcibly();
            dead.destroyForcibly();
        }
    }
}

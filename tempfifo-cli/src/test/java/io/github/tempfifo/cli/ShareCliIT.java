package io.github.tempfifo.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 10, items 3 and 4: {@code mk --share-with/--share-with-group/--share-access} make shared
 * FIFOs that {@code rm} and {@code sweep} still remove, while a planted look-alike is refused and
 * left; unknown users and groups are usage errors.
 */
class ShareCliIT {
    private Path base;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (chgrp, runuser)");
        assumeTrue(PostgresServer.run(List.of("id", "postgres")).status() == 0, "needs the user postgres");
        base = Files.createTempDirectory(Path.of("/tmp"), "share-cli-it-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        if (base != null) {
            PostgresServer.run(List.of("rm", "-rf", base.toString()));
        }
    }

    @Test
    void mkSharesAsAskedAndRmRemovesIt() throws Exception {
        Cli.Result mk = Cli.run(base, "mk", "--share-with", "postgres", "--share-access", "read");
        assertThat(mk.status()).as(mk.err()).isZero();
        Path fifo = Path.of(mk.out().trim());
        assertThat(mode(fifo.getParent())).isEqualTo("rwx--x---");
        assertThat(mode(fifo)).isEqualTo("rw-r-----");
        assertThat(PostgresServer.run(List.of("getfacl", "-p", fifo.toString())).out()).contains("user:postgres:r--");

        Cli.Result both = Cli.run(base, "mk", "--share-with-group", "postgres");
        assertThat(both.status()).as(both.err()).isZero();
        Path groupFifo = Path.of(both.out().trim());
        assertThat(mode(groupFifo)).isEqualTo("rw-rw----"); // both directions by default; the group route as root
        assertThat(Files.getAttribute(groupFifo, "posix:group", LinkOption.NOFOLLOW_LINKS).toString()).isEqualTo("postgres");

        assertThat(Cli.run(base, "rm", fifo.toString()).status()).isZero();
        assertThat(Cli.run(base, "rm", groupFifo.toString()).status()).isZero();
        Cli.assertEmpty(base);
    }

    @Test
    void sweepRemovesStaleSharedDirectoriesAndRmAndSweepLeaveLookAlikes() throws Exception {
        Process owner = new ProcessBuilder("sleep", "60").start();
        Cli.Result mk = Cli.run(base, "mk", "--share-with", "postgres", "--owner", Long.toString(owner.pid()));
        assertThat(mk.status()).as(mk.err()).isZero();
        Path shared = Path.of(mk.out().trim());
        owner.destroyForcibly().waitFor();

        // a look-alike: our name shape, mode 0710, an ACL on the directory, a FIFO whose group bits come from no ACL
        Path planted = Files.createDirectory(base.resolve("tempfifo-aaaaaaaaaaaaaaaa.unowned"));
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx--x---"));
        assertThat(PostgresServer.run(List.of("setfacl", "-m", "u:postgres:--x", planted.toString())).status()).isZero();
        Path plantedFifo = planted.resolve("fifo");
        assertThat(PostgresServer.run(List.of("mkfifo", "-m", "0640", plantedFifo.toString())).status()).isZero();

        Cli.Result rm = Cli.run(base, "rm", plantedFifo.toString());
        assertThat(rm.status()).isNotZero();
        assertThat(rm.err()).contains("not a FIFO tempfifo made");

        Cli.Result sweep = Cli.run(base, "sweep", "--dir", base.toString(), "--older-than", "0s");
        assertThat(sweep.status()).as(sweep.err()).isZero();
        assertThat(sweep.out()).contains(shared.getParent().toString()).doesNotContain(planted.toString());
        assertThat(shared.getParent()).doesNotExist();
        assertThat(plantedFifo).exists();
    }

    @Test
    void unknownPrincipalsAndAccessAreUsageErrors() {
        Cli.Result user = Cli.run(base, "mk", "--share-with", "no-such-user-tempfifo");
        assertThat(user.status()).isEqualTo(2);
        assertThat(user.err()).contains("no such user: no-such-user-tempfifo");
        Cli.Result group = Cli.run(base, "run", "--share-with-group", "no-such-group-tempfifo", "--in", "true", "--", "cat", "{}");
        assertThat(group.status()).isEqualTo(2);
        assertThat(group.err()).contains("no such group: no-such-group-tempfifo");
        Cli.Result access = Cli.run(base, "mk", "--share-with", "postgres", "--share-access", "execute");
        assertThat(access.status()).isEqualTo(2);
        assertThat(base.toFile().list()).isEmpty();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}

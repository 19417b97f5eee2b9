package io.github.tempfifo.cli;

import io.github.tempfifo.FifoPeerExitedException;
import io.github.tempfifo.TempFifo;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;

/**
 * Run by the tests as an unprivileged user ({@code nobody}): the library API alone hands a FIFO to
 * a PostgreSQL server running as {@code postgres}, which opens it with server-side {@code COPY}.
 * psql (the child that asks for the COPY) is the peer of each open, so a failing COPY ends the
 * wait at once. Uses only the JDK and tempfifo. Connection settings come from PGHOST etc.
 *
 * <ul>
 * <li>{@code from TABLE N}: {@code COPY TABLE FROM} a FIFO into which this writes 1..N;</li>
 * <li>{@code to TABLE}: {@code COPY TABLE TO} a FIFO, read here; prints {@code COUNT SUM};</li>
 * <li>{@code fail}: a COPY that fails before opening; prints {@code peer exited PID MILLIS}.</li>
 * </ul>
 */
public final class SharedCopyChild {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SharedCopyChild() {
    }

    public static void main(String[] args) throws Exception {
        UserPrincipal postgres = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        switch (args[0]) {
            case "from": {
                try (TempFifo fifo = TempFifo.builder().shareWith(postgres, AccessMode.READ).create()) {
                    Process psql = psql("COPY " + args[1] + " FROM '" + fifo.path() + "'");
                    try (OutputStream out = new BufferedOutputStream(fifo.openOutputStream(WAIT, psql.toHandle()), 1 << 16)) {
                        int n = Integer.parseInt(args[2]);
                        for (int i = 1; i <= n; i++) {
                            out.write((i + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    System.exit(psql.waitFor());
                }
                break;
            }
            case "to": {
                try (TempFifo fifo = TempFifo.builder().shareWith(postgres, AccessMode.WRITE).create()) {
                    Process psql = psql("COPY " + args[1] + " TO '" + fifo.path() + "'");
                    long count = 0;
                    long sum = 0;
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(fifo.openInputStream(WAIT, psql.toHandle()),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            count++;
                            sum += Long.parseLong(line);
                        }
                    }
                    System.out.println(count + " " + sum);
                    System.exit(psql.waitFor());
                }
                break;
            }
            case "fail": {
                try (TempFifo fifo = TempFifo.builder().shareWith(postgres, AccessMode.READ).create()) {
                    Process psql = psql("COPY no_such_table FROM '" + fifo.path() + "'");
                    long start = System.nanoTime();
                    try {
                        fifo.openOutputStream(WAIT, psql.toHandle()).close();
                        System.out.println("opened");
                    } catch (FifoPeerExitedException e) {
                        System.out.println("peer exited " + e.pid() + " " + (System.nanoTime() - start) / 1_000_000);
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static Process psql(String sql) throws java.io.IOException {
        return new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}

package io.github.tempfifo.testing;

import io.github.tempfifo.TempFifo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A child JVM for the cleanup, sweep and fault tests:
 * {@code FifoChild BASE COUNT KEEP ACTION} creates COUNT FIFOs in BASE (with
 * {@code deleteOnExit(false)} when KEEP is {@code keep}), never closes them, prints each
 * private directory on a line and then {@code ready}, and then, by ACTION:
 * <ul>
 * <li>{@code exit}: returns from main (normal exit);</li>
 * <li>{@code wait}: waits to be signalled (SIGTERM, SIGINT, SIGKILL);</li>
 * <li>{@code gc}: drops the FIFOs and runs the GC until their directories are gone, prints
 *     {@code gone}, and exits;</li>
 * <li>{@code hooks}: prints the number of application shutdown hooks after the first FIFO and
 *     after all ({@code hooks AFTER_ONE AFTER_ALL}; needs
 *     {@code --add-opens java.base/java.lang=ALL-UNNAMED});</li>
 * <li>{@code close}: on each line "close" from stdin closes them and prints {@code closed} or
 *     {@code failed: REASON}; exits at the end of stdin.</li>
 * </ul>
 * With {@code -Dtempfifo.test.shareWith=USER} the FIFOs are shared with USER (read and write).
 * Uses nothing but the JDK and tempfifo, so that it can run as another user.
 */
public final class FifoChild {
    private FifoChild() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean keep = args[2].equals("keep");
        String action = args[3];
        List<TempFifo> fifos = create(base, 1, keep);
        int hooksAfterOne = action.equals("hooks") ? shutdownHooks() : 0;
        fifos.addAll(create(base, count - 1, keep));
        List<Path> dirs = new ArrayList<>();
        fifos.forEach(f -> dirs.add(f.directory()));
        System.out.println("ready");
        System.out.flush();
        switch (action) {
            case "exit":
                return;
            case "wait":
                Thread.sleep(Long.MAX_VALUE);
                return;
            case "gc":
                fifos.clear();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (dirs.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
                    System.gc();
                    Thread.sleep(20);
                }
                System.out.println(dirs.stream().anyMatch(Files::exists) ? "still there" : "gone");
                Thread.sleep(200); // let the cleaner thread finish logging
                return;
            case "hooks":
                System.out.println("hooks " + hooksAfterOne + " " + shutdownHooks());
                return;
            case "close":
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("close")) {
                        try {
                            for (TempFifo fifo : fifos) {
                                fifo.close();
                            }
                            System.out.println("closed");
                        } catch (Exception e) {
                            System.out.println("failed: " + e);
                        }
                        System.out.flush();
                    }
                }
                return;
            default:
                throw new IllegalArgumentException(action);
        }
    }

    /** In a method of its own, so that no local variable of main still refers to a TempFifo. */
    private static List<TempFifo> create(Path base, int count, boolean keep) throws Exception {
        List<TempFifo> fifos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TempFifo.Builder builder = TempFifo.builder().directory(base).deleteOnExit(!keep);
            String shareWith = System.getProperty("tempfifo.test.shareWith"); // a user to share the FIFOs with
            if (shareWith != null) {
                builder.shareWith(java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
                        .lookupPrincipalByName(shareWith), java.nio.file.AccessMode.READ, java.nio.file.AccessMode.WRITE);
            }
            TempFifo fifo = (keep ? builder.unowned() : builder).create();
            fifos.add(fifo);
            System.out.println(fifo.directory());
        }
        return fifos;
    }

    private static int shutdownHooks() throws Exception {
        Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
        Field field = hooks.getDeclaredField("hooks");
        field.setAccessible(true);
        synchronized (hooks) {
            return ((Map<?, ?>) field.get(null)).size();
        }
    }
}

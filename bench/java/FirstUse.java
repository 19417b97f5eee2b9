import io.github.tempfifo.TempFifo;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * What a short program pays the first time (bench/compare.sh, section "firstuse"; compiled by
 * compare.sh with the JDK 22+ javac against the tempfifo jar, run in a fresh JVM per timing).
 *
 * <pre>
 * FirstUse getpid    one bare FFM downcall (the baseline: the least any FFM user pays)
 * FirstUse fifo [DIR] one TempFifo.create() + close() (in DIR, else the default base; FFM or portable,
 *                    as the JVM's flags choose)
 * </pre>
 */
public class FirstUse {
    public static void main(String[] args) throws Throwable {
        if (args[0].equals("getpid")) {
            Linker linker = Linker.nativeLinker();
            MethodHandle getpid = linker.downcallHandle(linker.defaultLookup().find("getpid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT));
            int pid = (int) getpid.invokeExact();
            if (pid <= 0) {
                throw new AssertionError(pid);
            }
        } else {
            (args.length > 1 ? TempFifo.builder().directory(java.nio.file.Path.of(args[1])).create() : TempFifo.create()).close();
        }
    }
}

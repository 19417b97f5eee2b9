// Over 400 lines, on purpose: half of it is the Javadoc of one public method per kind of
// substitution, mirroring ProcessBuilder's; the work is in the Substitution classes.
package io.github.tempfifo;

import io.github.tempfifo.internal.Copy;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a program with process substitutions: FIFOs whose paths are given to the program as
 * file names, fed from or drained to the Java side or another command — what a shell does with
 * {@code <(cmd)} and {@code >(cmd)}, without a shell.
 *
 * <pre>{@code
 * try (FifoProcessBuilder pb = new FifoProcessBuilder()) {
 *     Path left = pb.inputFrom("one\ntwo\n".getBytes(UTF_8));              // Java bytes
 *     Path right = pb.inputFrom(new ProcessBuilder("printf", "one\\nthree\\n")); // a command's stdout
 *     pb.command("diff", left.toString(), right.toString()).inheritIO();
 *     try (FifoProcess diff = pb.start()) {
 *         int status = diff.waitFor(); // 1: the inputs differ
 *     }
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * Each {@code inputFrom…} / {@code outputTo…} call creates one {@link TempFifo} at once (with
 * {@link #fifoBuilder(TempFifo.Builder)}'s settings) and returns its path, to be put in the
 * program's command line. {@link #start()} starts the program, then one (pooled) thread per
 * substitution.
 * Each thread waits, with no time limit, until the program opens its FIFO, then runs the Java
 * side ({@link InputWriter}, {@link OutputReader}, or the given stream or file) or starts the
 * command. The program may open its FIFOs in any order, any number of them, and pass any amount
 * of data through them: each one is served independently, so none waits for another.
 *
 * <p>A command's standard output (for {@link #inputFrom(ProcessBuilder)}) or input (for
 * {@link #outputTo(ProcessBuilder)}) <em>is</em> the FIFO: its bytes never go through the JVM.
 * The command is started only once the program has opened the FIFO; a command whose FIFO the
 * program never opens is never started.
 *
 * <h2>Lifetime</h2>
 * When the program exits, substitutions whose FIFO it never opened end at once
 * ({@link SubstitutionResult.Outcome#NEVER_OPENED}); output substitutions run until they have
 * consumed what the program wrote; input substitutions still running are given one second to
 * finish (they normally stop at once on {@code EPIPE}/{@code SIGPIPE}), then ended. Then every
 * FIFO is removed. See {@link FifoProcess}.
 *
 * <p>A builder starts one program, once. It is not thread-safe. Close it (or the
 * {@link FifoProcess}) when done: closing removes the FIFOs even if {@link #start()} was never
 * called or failed.
 */
public final class FifoProcessBuilder implements Closeable {
    private final ProcessBuilder program;
    private TempFifo.Builder fifos = TempFifo.builder();
    private final List<Substitution> substitutions = new ArrayList<>();
    private FifoProcess started;
    private boolean closed;

    /**
     * Creates a builder for the given program and arguments; the command may also be set later.
     *
     * @param command the program and its arguments
     */
    public FifoProcessBuilder(String... command) {
        program = new ProcessBuilder(command);
    }

    /**
     * Creates a builder for the given program and arguments.
     *
     * @param command the program and its arguments
     */
    public FifoProcessBuilder(List<String> command) {
        program = new ProcessBuilder(command);
    }

    /**
     * Sets the program and its arguments, as {@link ProcessBuilder#command(String...)}.
     *
     * @param command the program and its arguments, FIFO paths among them
     * @return this builder
     */
    public FifoProcessBuilder command(String... command) {
        program.command(command);
        return this;
    }

    /**
     * Sets the program and its arguments, as {@link ProcessBuilder#command(List)}.
     *
     * @param command the program and its arguments, FIFO paths among them
     * @return this builder
     */
    public FifoProcessBuilder command(List<String> command) {
        program.command(command);
        return this;
    }

    /**
     * Returns the program and its arguments.
     *
     * @return the command list (modifiable, as {@link ProcessBuilder#command()})
     */
    public List<String> command() {
        return program.command();
    }

    /**
     * Sets the program's working directory, as {@link ProcessBuilder#directory(File)}.
     *
     * @param directory the working directory, or null for this JVM's
     * @return this builder
     */
    public FifoProcessBuilder directory(File directory) {
        program.directory(directory);
        return this;
    }

    /**
     * Returns the program's environment, as {@link ProcessBuilder#environment()}.
     *
     * @return the modifiable environment map
     */
    public Map<String, String> environment() {
        return program.environment();
    }

    /**
     * Makes the program's standard input, output and error those of this JVM.
     *
     * @return this builder
     */
    public FifoProcessBuilder inheritIO() {
        program.inheritIO();
        return this;
    }

    /**
     * Sets the program's standard input, as {@link ProcessBuilder#redirectInput(ProcessBuilder.Redirect)}.
     *
     * @param source the program's standard input
     * @return this builder
     */
    public FifoProcessBuilder redirectInput(ProcessBuilder.Redirect source) {
        program.redirectInput(source);
        return this;
    }

    /**
     * Sets the program's standard output, as {@link ProcessBuilder#redirectOutput(ProcessBuilder.Redirect)}.
     *
     * @param destination the program's standard output
     * @return this builder
     */
    public FifoProcessBuilder redirectOutput(ProcessBuilder.Redirect destination) {
        program.redirectOutput(destination);
        return this;
    }

    /**
     * Sets the program's standard error, as {@link ProcessBuilder#redirectError(ProcessBuilder.Redirect)}.
     *
     * @param destination the program's standard error
     * @return this builder
     */
    public FifoProcessBuilder redirectError(ProcessBuilder.Redirect destination) {
        program.redirectError(destination);
        return this;
    }

    /**
     * Sets how the FIFOs of the substitutions registered after this call are made (base
     * directory, prefix, pipe capacity…). Default: {@link TempFifo#builder()}.
     *
     * @param fifoBuilder the builder to create FIFOs with
     * @return this builder
     */
    public FifoProcessBuilder fifoBuilder(TempFifo.Builder fifoBuilder) {
        this.fifos = Objects.requireNonNull(fifoBuilder, "fifoBuilder");
        return this;
    }

    /**
     * Adds an input substitution whose data {@code writer} writes (like {@code <(…)}).
     * {@code writer} is called on the substitution's thread once the program opens the FIFO.
     *
     * @param writer writes what the program reads from the FIFO
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path inputFrom(InputWriter writer) throws IOException {
        return input("input from Java", Objects.requireNonNull(writer, "writer"));
    }

    /**
     * Adds an input substitution that copies {@code in} to the FIFO, then closes {@code in}.
     * If the program never opens the FIFO, {@code in} is neither read nor closed: the caller
     * still owns it.
     *
     * @param in the data the program reads from the FIFO
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path inputFrom(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        return input("input from an InputStream", out -> {
            try (in) {
                Copy.copy(in, out);
            }
        });
    }

    /**
     * Adds an input substitution that feeds {@code data} to the program.
     *
     * @param data the bytes the program reads from the FIFO (not copied: do not change them)
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path inputFrom(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        return input("input from " + data.length + " bytes", out -> out.write(data));
    }

    /**
     * Adds an input substitution that feeds the contents of {@code file} to the program. The file
     * is opened once the program opens the FIFO; if it can't be, the substitution fails.
     *
     * @param file the file whose contents the program reads from the FIFO
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path inputFrom(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return input("input from " + file, out -> Copy.copy(file, out));
    }

    /**
     * Adds an input substitution fed by a command's standard output (like {@code <(command)}):
     * the command writes the FIFO itself. It is started once the program opens the FIFO, with
     * the directory, environment, standard input and standard error of {@code command} (which is
     * not changed); its standard output is the FIFO. If the program exits first, it is not started.
     *
     * @param command the command to run; copied when the substitution starts it
     * @return the FIFO's path, to put in the program's command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path inputFrom(ProcessBuilder command) throws IOException {
        return command(true, command);
    }

    /**
     * Adds an output substitution whose data {@code reader} reads (like {@code >(…)}).
     * {@code reader} is called on the substitution's thread once the program opens the FIFO.
     *
     * @param reader reads what the program writes to the FIFO
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path outputTo(OutputReader reader) throws IOException {
        return output("output to Java", Objects.requireNonNull(reader, "reader"));
    }

    /**
     * Adds an output substitution that copies what the program writes to {@code out}, then
     * flushes it ({@code out} is not closed).
     *
     * @param out where the program's writes to the FIFO go
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path outputTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        return output("output to an OutputStream", in -> {
            Copy.copy(in, out);
            out.flush();
        });
    }

    /**
     * Adds an output substitution that writes what the program writes to {@code file}, created
     * if it does not exist and truncated if it does (as a shell's {@code >(cat > file)}). The
     * file is opened once the program opens the FIFO; if it can't be, the substitution fails.
     * If the program never opens the FIFO, the file is not touched.
     *
     * @param file where the program's writes to the FIFO go
     * @return the FIFO's path, to put in the command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path outputTo(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return output("output to " + file, in -> Copy.copy(in, file));
    }

    /**
     * Adds an output substitution read by a command's standard input (like {@code >(command)}):
     * the command reads the FIFO itself. It is started once the program opens the FIFO, with
     * the directory, environment, standard output and standard error of {@code command} (which
     * is not changed); its standard input is the FIFO. It is waited for: the program's
     * {@link FifoProcess#waitFor()} returns once the command has consumed the output and exited.
     *
     * @param command the command to run; copied when the substitution starts it
     * @return the FIFO's path, to put in the program's command
     * @throws IOException as {@link TempFifo#create()}, if the FIFO can't be created
     */
    public Path outputTo(ProcessBuilder command) throws IOException {
        return command(false, command);
    }

    /**
     * Starts the program, then the substitutions' threads. Does not block beyond
     * {@link ProcessBuilder#start()}, and waits on no FIFO: the substitutions' waits run on
     * their own platform threads, so a virtual thread's carrier is never pinned by one.
     *
     * @return the running program with its substitutions; close it when done
     * @throws IOException           if the program can't be started (the FIFOs are then removed)
     * @throws IllegalStateException if called twice, or after {@link #close()}
     */
    public FifoProcess start() throws IOException {
        if (started != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started: a FifoProcessBuilder starts one program");
        }
        Process process;
        try {
            process = program.start();
        } catch (IOException | RuntimeException e) {
            closeFifos(e);
            throw e;
        }
        started = new FifoProcess(process, substitutions);
        return started;
    }

    /**
     * Ends everything this builder started and removes its FIFOs: if {@link #start()} was
     * called, as {@link FifoProcess#close()}; otherwise removes the FIFOs. Idempotent.
     *
     * @throws IOException if a FIFO could not be removed
     */
    @Override
    public void close() throws IOException {
        closed = true;
        if (started != null) {
            started.close();
        } else {
            closeFifos(null);
        }
    }

    private void closeFifos(Exception primary) throws IOException {
        IOException failure = null;
        for (Substitution s : substitutions) {
            try {
                s.fifo.close();
            } catch (IOException e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private Path input(String description, InputWriter writer) throws IOException {
        return add(fifo -> new WriterSubstitution(next(), fifo, description, writer));
    }

    private Path output(String description, OutputReader reader) throws IOException {
        return add(fifo -> new ReaderSubstitution(next(), fifo, description, reader));
    }

    private Path command(boolean input, ProcessBuilder command) throws IOException {
        Objects.requireNonNull(command, "command");
        return add(fifo -> new CommandSubstitution(next(), fifo, input, command));
    }

    private int next() {
        return substitutions.size() + 1;
    }

    private interface Factory {
        Substitution create(TempFifo fifo);
    }

    private Path add(Factory factory) throws IOException {
        if (started != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        TempFifo fifo = fifos.create();
        substitutions.add(factory.create(fifo));
        return fifo.path();
    }
}

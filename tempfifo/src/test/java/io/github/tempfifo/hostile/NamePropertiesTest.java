package io.github.tempfifo.hostile;

import io.github.tempfifo.TempFifo;
import io.github.tempfifo.testing.WarmUp;
import io.github.tempfifo.testing.Fds;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 4, item 3, bad input through the API, as properties (jqwik): for any FIFO name and any
 * prefix (unicode, empty, very long, {@code /}, NUL, {@code .}, {@code ..}, {@code {}}, unpaired
 * surrogates), either the builder throws the documented IllegalArgumentException and nothing is
 * created, or the FIFO is created with exactly that name (or prefix). Timeouts likewise.
 */
class NamePropertiesTest {
    private static final int NAME_MAX = 255;
    private static final int PREFIX_MAX = NAME_MAX - (16 + 1 + 20 + 1 + 20);
    private static final Charset JNU = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    Path base;
    int fdsBefore;

    @BeforeProperty
    void createBase() throws IOException {
        WarmUp.openBothEnds(); // the JVM-wide reserve descriptor, so that it is not counted
        base = Files.createTempDirectory("tempfifo-properties");
        fdsBefore = Fds.count();
    }

    @AfterProperty
    void nothingLeft() throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
        Files.delete(base);
        assertThat(Fds.count()).isLessThanOrEqualTo(fdsBefore);
    }

    @Provide
    Arbitrary<String> hostileStrings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30), // any UTF-16 unit: controls, NUL, surrogates
                Arbitraries.strings().withCharRange('a', 'c').withChars('/', '\0', '.', '{', '}', ' ', '\n', '-').ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u00a0', '\uffff').ofMinLength(1).ofMaxLength(90), // up to 270 bytes
                Arbitraries.strings().withChars("é😀x").ofMinLength(60).ofMaxLength(260),
                Arbitraries.of("", ".", "..", "...", "/", "\0", "a/b", "../x", "..a", "{}", "{1}", "}{", "-",
                        "x".repeat(NAME_MAX), "x".repeat(NAME_MAX + 1), "é".repeat(127), "é".repeat(128),
                        "😀".repeat(63), "😀".repeat(64), "x".repeat(PREFIX_MAX), "x".repeat(PREFIX_MAX + 1),
                        "\ud800", "a\udc00", "\ud83d\ude00"));
    }

    /** The documented rules: not empty, not . or .., no / or NUL, valid Unicode, at most maxBytes of UTF-8. */
    static String problem(String s, int maxBytes, boolean mayBeEmpty) {
        if (s.isEmpty()) {
            return mayBeEmpty ? null : "empty";
        }
        if (!mayBeEmpty && (s.equals(".") || s.equals(".."))) {
            return "must not be";
        }
        if (s.indexOf('/') >= 0) {
            return "'/'";
        }
        if (s.indexOf('\0') >= 0) {
            return "NUL";
        }
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
        } catch (CharacterCodingException e) {
            return "Unicode";
        }
        return utf8.remaining() > maxBytes ? "at most" : null;
    }

    private void assertNothingCreated() throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            assertThat(entries).isEmpty();
        }
    }

    @Property(tries = 300)
    void aNameIsRefusedAsDocumentedOrUsedExactly(@ForAll("hostileStrings") String name) throws IOException {
        String problem = problem(name, NAME_MAX, false);
        TempFifo.Builder builder = TempFifo.builder().directory(base);
        if (problem != null) {
            assertThatThrownBy(() -> builder.name(name)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("name").hasMessageContaining(problem);
            assertNothingCreated();
            return;
        }
        builder.name(name);
        if (!JNU.newEncoder().canEncode(name)) { // a name the file-system encoding can't hold
            assertThatThrownBy(builder::create).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sun.jnu.encoding");
            assertNothingCreated();
            return;
        }
        try (TempFifo fifo = builder.create()) {
            assertThat(fifo.path().getFileName().toString()).isEqualTo(name);
            assertThat(fifo.path().getParent()).isEqualTo(fifo.directory());
            assertThat(fifo.directory().getParent()).isEqualTo(base.toAbsolutePath());
            assertThat((Integer) Files.getAttribute(fifo.path(), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0010600);
            try (Stream<Path> entries = Files.list(fifo.directory())) {
                assertThat(entries).containsExactly(fifo.path());
            }
        }
        assertNothingCreated();
    }

    @Property(tries = 300)
    void aPrefixIsRefusedAsDocumentedOrUsedExactly(@ForAll("hostileStrings") String prefix) throws IOException {
        String problem = problem(prefix, PREFIX_MAX, true);
        TempFifo.Builder builder = TempFifo.builder().directory(base);
        if (problem != null) {
            assertThatThrownBy(() -> builder.prefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("prefix").hasMessageContaining(problem);
            assertNothingCreated();
            return;
        }
        builder.prefix(prefix);
        if (!JNU.newEncoder().canEncode(prefix)) {
            assertThatThrownBy(builder::create).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sun.jnu.encoding");
            assertNothingCreated();
            return;
        }
        try (TempFifo fifo = builder.create()) {
            String dir = fifo.directory().getFileName().toString();
            assertThat(dir).startsWith(prefix);
            assertThat(dir.substring(prefix.length())).matches("[a-z2-7]{16}\\.\\d+_\\d+");
            assertThat(fifo.directory().getParent()).isEqualTo(base.toAbsolutePath()); // "..", "." and "/" can't climb out
            assertThat(fifo.path().getFileName()).hasToString("fifo");
        }
        assertNothingCreated();
    }

    @Property(tries = 100)
    void nonPositiveTimeoutsAndNegativeAgesAreRefused(@ForAll @LongRange(min = Long.MIN_VALUE, max = 0) long nanos) throws IOException {
        Duration bad = Duration.ofNanos(nanos);
        try (TempFifo fifo = TempFifo.builder().directory(base).create()) {
            assertThatThrownBy(() -> fifo.openInputStream(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> fifo.openOutputStream(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fifo.openReadChannel(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fifo.openWriteChannel(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        if (nanos < 0) {
            assertThatThrownBy(() -> TempFifo.sweep(base, bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TempFifo.findStale(base, bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertNothingCreated();
    }
}

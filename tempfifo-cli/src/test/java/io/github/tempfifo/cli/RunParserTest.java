package io.github.tempfifo.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RunParser}, the one parser of {@code run}, and the picocli model that documents it. */
class RunParserTest {
    private static RunCommand parse(String... args) {
        RunCommand run = new RunCommand();
        assertThat(RunParser.parse(Arrays.asList(args), run)).isEqualTo(RunParser.Request.RUN);
        return run;
    }

    @Test
    void theParserAndTheDocumentedModelKnowTheSameOptions() {
        CommandSpec spec = CommandTree.commandLine().getSubcommands().get("run").getCommandSpec();
        List<String> documented = spec.options().stream().flatMap(o -> Arrays.stream(o.names())).collect(Collectors.toList());
        assertThat(documented).containsExactlyInAnyOrderElementsOf(RunParser.OPTIONS);
        for (OptionSpec option : spec.options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                assertThat(option.arity().min()).as(option.longestName()).isEqualTo(1); // each takes one value, as parsed
            }
        }
    }

    @Test
    void optionsInCommandLineOrderThenProgramWithItsOwnOptions() {
        RunCommand run = parse("--in", "a", "--out=b", "--dir", "/x", "--in", "-c", "--prefix=p-", "cat", "--in", "{1}", "{2}", "{3}");
        assertThat(run.substitutions).extracting(s -> s.option() + " " + s.command())
                .containsExactly("--in a", "--out b", "--in -c");
        assertThat(run.fifo.directory.dir).isEqualTo(Path.of("/x"));
        assertThat(run.fifo.prefix).isEqualTo("p-");
        assertThat(run.program).containsExactly("cat", "--in", "{1}", "{2}", "{3}");
    }

    @Test
    void doubleDashEndsTheOptions() {
        assertThat(parse("--in", "x", "--", "--version", "{}").program).containsExactly("--version", "{}");
        assertThat(parse("--in", "x", "-", "{}").program).containsExactly("-", "{}");
    }

    @Test
    void helpAndVersionBeforeProgram() {
        assertThat(RunParser.parse(List.of("--in", "x", "--help"), new RunCommand())).isEqualTo(RunParser.Request.HELP);
        assertThat(RunParser.parse(List.of("-V", "cat"), new RunCommand())).isEqualTo(RunParser.Request.VERSION);
        assertThat(parse("--in", "x", "cat", "--help", "{}").program).containsExactly("cat", "--help", "{}");
    }

    @Test
    void usageErrors() {
        assertThatThrownBy(() -> parse("--inn", "x", "cat")).isInstanceOf(UsageException.class).hasMessage("unknown option: '--inn'");
        assertThatThrownBy(() -> parse("--out")).isInstanceOf(UsageException.class).hasMessage("--out: missing CMD");
        assertThatThrownBy(() -> parse("--in", "x")).isInstanceOf(UsageException.class).hasMessageStartingWith("missing PROGRAM");
        assertThatThrownBy(() -> parse("--in", "x", "cat")).isInstanceOf(UsageException.class).hasMessageContaining("put {1}");
        assertThatThrownBy(() -> parse("--prefix", "a/b", "--in", "x", "cat", "{}")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--prefix: ");
    }
}

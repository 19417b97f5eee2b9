import io.github.tempfifo.cli.CommandTree;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes OUTDIR/NAME.adoc for {@code tempfifo} and each subcommand: picocli's ManPageGenerator
 * page of the model {@code tempfifo} runs ({@link CommandTree#commandLine()}), plus what that
 * generator leaves out: the help footer's examples (it writes a footer only under a footer
 * heading) and SEE ALSO naming every page. Run by make-bundle.sh with the source launcher:
 * {@code java -cp CLASSPATH ManPages.java OUTDIR}.
 */
public final class ManPages {
    public static void main(String[] args) throws IOException {
        Path outdir = Path.of(args[0]);
        Files.createDirectories(outdir);
        CommandLine root = CommandTree.commandLine();
        // Wide enough that the synopsis is never wrapped inside a label ("PROGRAM [ARG]"), which
        // breaks its italic markup; troff fills the lines anyway.
        root.setUsageHelpWidth(1000);
        List<String> pages = new ArrayList<>();
        collect(root, pages);
        write(root, pages, outdir);
    }

    private static void collect(CommandLine cl, List<String> pages) {
        pages.add(pageName(cl.getCommandSpec()));
        cl.getSubcommands().values().forEach(sub -> collect(sub, pages));
    }

    private static void write(CommandLine cl, List<String> pages, Path outdir) throws IOException {
        CommandSpec spec = cl.getCommandSpec();
        String[] footer = spec.usageMessage().footer();
        spec.usageMessage().footer(new String[0]); // written below, as man page sections
        StringWriter page = new StringWriter();
        try (PrintWriter pw = new PrintWriter(page)) {
            ManPageGenerator.writeSingleManPage(pw, spec);
        }
        String end = "// end::picocli-generated-full-manpage[]";
        String adoc = page.toString();
        int at = adoc.lastIndexOf(end);
        String name = pageName(spec);
        Files.writeString(outdir.resolve(name + ".adoc"),
                adoc.substring(0, at) + extraSections(footer, name, pages) + adoc.substring(at),
                StandardCharsets.UTF_8);
        for (CommandLine sub : cl.getSubcommands().values()) {
            write(sub, pages, outdir);
        }
    }

    /** "tempfifo-run" for "tempfifo run". */
    private static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /**
     * The footer's "Example...:" blocks as EXAMPLES (verbatim), its other text in SEE ALSO with
     * the other pages; the help's last line (the pointer to this manual) left out.
     */
    private static String extraSections(String[] footer, String self, List<String> pages) {
        StringBuilder examples = new StringBuilder();
        List<String> notes = new ArrayList<>();
        boolean inExample = false;
        for (String line : footer) {
            if (line.startsWith("Example") && line.endsWith(":")) {
                String title = line.substring(0, line.length() - 1);
                examples.append(inExample ? "....\n\n" : "")
                        .append(title.startsWith("Example (") ? "." + title + "\n" : "")
                        .append("....\n");
                inExample = true;
            } else if (inExample && line.startsWith("  ")) {
                examples.append(line.substring(2)).append('\n');
            } else {
                if (inExample) {
                    examples.append("....\n\n");
                    inExample = false;
                }
                if (!line.isBlank() && !line.startsWith("Documentation: man ")) {
                    notes.add(line);
                }
            }
        }
        if (inExample) {
            examples.append("....\n\n");
        }
        StringBuilder out = new StringBuilder();
        if (!examples.isEmpty()) {
            out.append("== Examples\n\n").append(examples);
        }
        out.append("== See also\n\n");
        for (String note : notes) {
            out.append(note).append("\n\n");
        }
        List<String> refs = new ArrayList<>();
        for (String p : pages) {
            if (!p.equals(self)) {
                refs.add("*" + p + "*(1)");
            }
        }
        out.append(String.join(", ", refs)).append("\n\n");
        return out.toString();
    }
}

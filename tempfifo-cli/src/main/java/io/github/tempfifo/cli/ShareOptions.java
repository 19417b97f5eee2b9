package io.github.tempfifo.cli;

import io.github.tempfifo.TempFifo;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --share-with USER} and {@code --share-with-group GROUP} (repeatable): the users and groups
 * whose processes may open the FIFOs ({@link TempFifo.Builder#shareWith}). A picocli mixin, shared
 * by {@code run} and {@code mk}.
 */
final class ShareOptions {
    @Option(names = "--share-with", paramLabel = "USER",
            description = "Let USER's processes open the FIFO (with run: every FIFO), e.g. a database server's "
                    + "COPY; repeatable. Nobody else gains anything (POSIX ACLs). USER must be able to reach the "
                    + "base directory: without --dir, the first base USER can reach is used ($$TMPDIR, else e.g. "
                    + "/tmp); a --dir USER can't reach is refused, before anything is made.")
    List<String> users = new ArrayList<>();

    @Option(names = "--share-with-group", paramLabel = "GROUP",
            description = "Let GROUP's processes open the FIFO (with run: every FIFO); repeatable. By the FIFO's "
                    + "group and mode when tempfifo may give it that group (root, or a member), else by ACL. "
                    + "The base directory as for --share-with.")
    List<String> groups = new ArrayList<>();

    private List<UserPrincipal> principals;

    boolean isEmpty() {
        return users.isEmpty() && groups.isEmpty();
    }

    /** @return what is wrong with the names given (a usage error), or null */
    String problem() {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        List<UserPrincipal> found = new ArrayList<>();
        try {
            for (String user : users) {
                found.add(find(lookup, false, user));
            }
            for (String group : groups) {
                found.add(find(lookup, true, group));
            }
        } catch (UsageException e) {
            return e.getMessage();
        }
        principals = found;
        return null;
    }

    private static UserPrincipal find(UserPrincipalLookupService lookup, boolean group, String name) {
        String option = group ? "--share-with-group" : "--share-with";
        try {
            return group ? lookup.lookupPrincipalByGroupName(name) : lookup.lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new UsageException(option + ": no such " + (group ? "group" : "user") + ": " + name);
        } catch (IOException e) {
            throw new UsageException(option + " " + name + ": " + e.getMessage());
        }
    }

    /** Shares the FIFOs {@code builder} makes with every user and group given, for {@code modes}. */
    TempFifo.Builder applyTo(TempFifo.Builder builder, AccessMode... modes) {
        if (principals == null) {
            String wrong = problem(); // callers check first; looked up once either way
            if (wrong != null) {
                throw new IllegalStateException("unchecked: " + wrong);
            }
        }
        for (UserPrincipal p : principals) {
            builder.shareWith(p, modes);
        }
        return builder;
    }
}

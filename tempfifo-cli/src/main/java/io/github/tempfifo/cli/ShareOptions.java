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
            description = "Let USER's processes open the FIFOs (e.g. a database server's COPY); repeatable. "
                    + "Nobody else gains anything (POSIX ACLs).")
    List<String> users = new ArrayList<>();

    @Option(names = "--share-with-group", paramLabel = "GROUP",
            description = "Let GROUP's processes open the FIFOs; repeatable. By the FIFOs' group and mode when "
                    + "tempfifo may give them that group (root, or a member), else by ACL.")
    List<String> groups = new ArrayList<>();

    private List<UserPrincipal> principals;

    boolean isEmpty() {
        return users.isEmpty() && groups.isEmpty();
    }

    /** @return what is wrong with the names given (a usage error), or null */
    String problem() {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        List<UserPrincipal> found = new ArrayList<>();
        for (String user : users) {
            try {
                found.add(lookup.lookupPrincipalByName(user));
            } catch (UserPrincipalNotFoundException e) {
                return "--share-with: no such user: " + user;
            } catch (IOException e) {
                return "--share-with " + user + ": " + e.getMessage();
            }
        }
        for (String group : groups) {
            try {
                found.add(lookup.lookupPrincipalByGroupName(group));
            } catch (UserPrincipalNotFoundException e) {
                return "--share-with-group: no such group: " + group;
            } catch (IOException e) {
                return "--share-with-group " + group + ": " + e.getMessage();
            }
        }
        principals = found;
        return null;
    }

    /** Shares the FIFOs {@code builder} makes with every user and group given, for {@code modes}. */
    TempFifo.Builder applyTo(TempFifo.Builder builder, AccessMode... modes) {
        if (principals == null && problem() != null) {
            throw new IllegalStateException("unchecked: " + problem());
        }
        for (UserPrincipal p : principals) {
            builder.shareWith(p, modes);
        }
        return builder;
    }
}

package dev.knet.cni.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tiny shell plugins for runtime tests: each logs its CNI_* environment and stdin to numbered
 * files (so order is visible) and prints a canned result.
 */
final class ScriptPlugins {

    final Path bin;
    final Path log;

    ScriptPlugins(Path dir) throws IOException {
        this.bin = Files.createDirectories(dir.resolve("bin"));
        this.log = Files.createDirectories(dir.resolve("log"));
    }

    /** A plugin that logs and, on ADD, prints {@code addResult}. */
    void recorder(String name, String addResult) {
        write(name, """
                case "$CNI_COMMAND" in
                  ADD) printf '%s' '@RESULT@' ;;
                  VERSION) printf '%s' '{"cniVersion":"1.1.0","supportedVersions":["1.0.0","1.1.0"]}' ;;
                esac
                exit 0
                """.replace("@RESULT@", addResult));
    }

    /** A plugin that fails ADD with a spec error object. */
    void failing(String name, int code) {
        write(name, """
                printf '{"cniVersion":"1.1.0","code":%d,"msg":"no can do","details":"because"}' @CODE@
                exit 1
                """.replace("@CODE@", Integer.toString(code)));
    }

    /** A plugin that dies without an error object. */
    void crashing(String name) {
        write(name, """
                echo "panic: runtime error" >&2
                exit 2
                """);
    }

    private void write(String name, String body) {
        String script = """
                #!/bin/sh
                n=$(ls '@LOG@' | wc -l)
                f="@LOG@/$(printf %03d "$n")-@NAME@-$CNI_COMMAND"
                env | grep '^CNI_' | sort > "$f.env"
                cat > "$f.json"
                """.replace("@LOG@", log.toString()).replace("@NAME@", name) + body;
        try {
            Path p = bin.resolve(name);
            Files.writeString(p, script);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls made so far, e.g. ["first-ADD", "second-ADD"]. */
    List<String> calls() {
        return files(".json").stream().map(f -> f.getFileName().toString().replaceAll("^\\d+-|\\.json$", "")).toList();
    }

    String stdin(int call) {
        return read(files(".json").get(call));
    }

    Map<String, String> env(int call) {
        Map<String, String> env = new TreeMap<>();
        read(files(".env").get(call)).lines().forEach(l -> {
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return env;
    }

    private List<Path> files(String suffix) {
        try (Stream<Path> s = Files.list(log)) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(suffix)).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

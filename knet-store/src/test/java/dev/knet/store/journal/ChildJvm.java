package dev.knet.store.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Starts test main classes in child JVMs on this JVM's class path. Startup dominates a crash test
 * that starts dozens of children, so when it can, it trains a JDK AOT cache once (class loading
 * and linking done ahead) with one normal run of the main class. That needs a class path of jars
 * only, so class directories are packed into one jar first. Without the cache it still works.
 */
final class ChildJvm {

    private final List<String> command;
    private final String classPath;

    private ChildJvm(List<String> command, String classPath) {
        this.command = command;
        this.classPath = classPath;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A launcher; trains the AOT cache with {@code main trainingArgs} (a run that must exit by itself). */
    static ChildJvm prepare(Path workDir, Class<?> main, String... trainingArgs) throws IOException, InterruptedException {
        // C1 only, serial GC: a short-lived child spends its time starting, not running.
        List<String> base = List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Xmx256m");
        String plain = System.getProperty("java.class.path");
        String jars = jarOnly(plain, workDir.resolve("classes.jar"));
        Path cache = workDir.resolve("child.aot");
        List<String> train = new ArrayList<>(base);
        train.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-cp", jars, main.getName()));
        train.addAll(List.of(trainingArgs));
        Process p = new ProcessBuilder(train).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(workDir.resolve("training.err").toFile()).start();
        boolean ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(cache);
        if (!ok) {
            p.destroyForcibly();
            return new ChildJvm(base, plain);
        }
        List<String> withCache = new ArrayList<>(base);
        withCache.add("-XX:AOTCache=" + cache);
        return new ChildJvm(List.copyOf(withCache), jars);
    }

    boolean usesAotCache() {
        return command.stream().anyMatch(a -> a.startsWith("-XX:AOTCache="));
    }

    /**
     * Starts a child whose stdout goes to a file, not a pipe: what the child wrote before a SIGKILL
     * is all in the file afterwards, with no reader thread racing the process exit.
     */
    Process start(Class<?> main, Path stderr, Path stdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-cp", classPath, main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                .redirectOutput(stdout.toFile()).start();
    }

    /** The class path with its directories packed into one jar (the AOT cache takes jars only). */
    private static String jarOnly(String classPath, Path jar) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (Files.isDirectory(Path.of(entry))) {
                dirs.add(Path.of(entry));
            } else {
                out.add(entry);
            }
        }
        if (dirs.isEmpty()) {
            return classPath;
        }
        try (JarOutputStream jo = new JarOutputStream(Files.newOutputStream(jar))) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Path dir : dirs) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = dir.relativize(f).toString().replace('\\', '/');
                        if (seen.add(name)) { // the first directory wins, as on a class path
                            jo.putNextEntry(new JarEntry(name));
                            Files.copy(f, jo);
                            jo.closeEntry();
                        }
                    }
                }
            }
        }
        out.addFirst(jar.toString());
        return String.join(java.io.File.pathSeparator, out);
    }
}

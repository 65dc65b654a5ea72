package dev.knet.model;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads API objects from multi-document YAML or JSON: a file, every *.yaml/*.yml/*.json file directly in a
 * directory (in name order; not recursive, like kubectl without -R), or a stream. Lists (kind: List) are flattened.
 */
public final class Manifests {

    private Manifests() {
    }

    /** Reads a file, a directory, or "-" for standard input. */
    public static List<HasMetadata> read(String source) {
        if (source.equals("-")) {
            return read(System.in, "<stdin>");
        }
        return read(Path.of(source));
    }

    public static List<HasMetadata> read(Path path) {
        if (!Files.exists(path)) {
            throw new ManifestException(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            List<HasMetadata> all = new ArrayList<>();
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList()) {
                    all.addAll(readFile(file));
                }
            } catch (IOException e) {
                throw new ManifestException(path + ": " + e.getMessage(), e);
            }
            return all;
        }
        return readFile(path);
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static List<HasMetadata> readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new ManifestException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<HasMetadata> read(InputStream in, String sourceName) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ManifestException(sourceName + ": " + e.getMessage(), e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), sourceName);
    }

    /** Parses text; each document is checked to be an object with apiVersion, kind and metadata.name. */
    public static List<HasMetadata> parse(String text, String sourceName) {
        List<HasMetadata> result = new ArrayList<>();
        List<String> documents = splitDocuments(text);
        for (int i = 0; i < documents.size(); i++) {
            String doc = documents.get(i);
            if (doc.isBlank() || isOnlyComments(doc)) {
                continue;
            }
            String where = documents.size() > 1 ? sourceName + " (document " + (i + 1) + ")" : sourceName;
            Object parsed;
            try {
                parsed = KnetJson.serialization().unmarshal(
                        new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                throw new ManifestException(where + ": cannot parse: " + rootMessage(e), e);
            }
            collect(parsed, where, result);
        }
        return result;
    }

    private static void collect(Object parsed, String where, List<HasMetadata> into) {
        if (parsed == null) {
            return;
        }
        if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesResourceList<?> list) {
            // kind: List, and typed lists (PodList, ...) as the REST API returns them
            for (Object item : list.getItems()) {
                collect(item, where, into);
            }
        } else if (parsed instanceof List<?> list) {
            for (Object item : list) {
                collect(item, where, into);
            }
        } else if (parsed instanceof HasMetadata object) {
            if (object.getApiVersion() == null || object.getApiVersion().isBlank()) {
                throw new ManifestException(where + ": apiVersion: Required value");
            }
            if (object.getKind() == null || object.getKind().isBlank()) {
                throw new ManifestException(where + ": kind: Required value");
            }
            into.add(object);
        } else {
            throw new ManifestException(where + ": not a Kubernetes object (" + parsed.getClass().getSimpleName() + ")");
        }
    }

    /** Splits on YAML document markers; JSON and single documents come back whole. */
    static List<String> splitDocuments(String text) {
        List<String> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.equals("---") || line.startsWith("--- ") || line.equals("---\r")) {
                docs.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        docs.add(current.toString());
        return docs;
    }

    private static boolean isOnlyComments(String doc) {
        return doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}

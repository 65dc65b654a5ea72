package dev.knet.cni.runtime;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniJson;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ADD results per attachment, as libcni keeps them ({@code results/<network>-<container>-<ifname>}
 * holding a "cniCacheV1" object), so DEL and CHECK can hand plugins their prevResult.
 */
final class ResultCache {

    private final Path dir;

    ResultCache(Path cacheDir) {
        this.dir = cacheDir.resolve("results");
    }

    void put(String network, RuntimeConf rt, ObjectNode result) {
        ObjectNode entry = CniJson.mapper().createObjectNode();
        entry.put("kind", "cniCacheV1");
        entry.put("containerId", rt.containerId());
        entry.put("ifName", rt.ifName());
        entry.put("networkName", network);
        entry.put("cniArgs", rt.cniArgs());
        entry.set("result", result);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp", "");
            Files.writeString(tmp, CniJson.write(entry));
            Files.move(tmp, file(network, rt.containerId(), rt.ifName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "cannot write result cache", e.getMessage()), e);
        }
    }

    Optional<ObjectNode> get(String network, String containerId, String ifName) {
        Path f = file(network, containerId, ifName);
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            return Optional.of((ObjectNode) CniJson.readObject(Files.readString(f)).get("result"));
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "cannot read result cache", e.getMessage()), e);
        }
    }

    void remove(String network, String containerId, String ifName) {
        try {
            Files.deleteIfExists(file(network, containerId, ifName));
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "cannot remove result cache", e.getMessage()), e);
        }
    }

    /** (containerId, ifName) of every cached attachment of a network. */
    List<String[]> attachments(String network) {
        List<String[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(network + "-")).toList()) {
                ObjectNode entry = CniJson.readObject(Files.readString(f));
                if (network.equals(entry.path("networkName").asString(""))) {
                    out.add(new String[] {entry.path("containerId").asString(), entry.path("ifName").asString()});
                }
            }
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "cannot list result cache", e.getMessage()), e);
        }
        return out;
    }

    private Path file(String network, String containerId, String ifName) {
        String name = network + "-" + containerId + "-" + ifName;
        if (name.contains("/") || name.startsWith(".")) {
            throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, "unsafe cache key " + name, null));
        }
        return dir.resolve(name);
    }
}

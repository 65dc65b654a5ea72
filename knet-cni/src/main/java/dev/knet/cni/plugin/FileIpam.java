package dev.knet.cni.plugin;

import dev.knet.cni.spec.Attachment;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A host-local-like address store: one file per allocated address under
 * {@code dataDir/<network>/} holding "containerId\r\nifName" (host-local's own layout, so either can
 * read the other's state), round-robin from {@code last_reserved_ip.0}. A file lock serialises
 * plugin processes; an in-JVM lock serialises the agent's threads (file locks are per process).
 */
public final class FileIpam {

    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final String LAST = "last_reserved_ip.0";

    private final Path dir;
    private final Cidr subnet;
    private final long first;
    private final long last;
    private final String gateway;

    public FileIpam(String network, IpamConf conf) {
        IpamConf.Range range = conf.range();
        this.dir = Path.of(conf.dataDirOrDefault()).resolve(network);
        this.subnet = Cidr.parse(range.subnet());
        if (!subnet.isIpv4() || subnet.prefixLength() > 30) {
            throw KnetNetConf.invalid("ipam subnet must be an IPv4 prefix of /30 or larger: " + range.subnet());
        }
        this.gateway = range.gateway() != null ? range.gateway() : subnet.addressStringAt(1);
        this.first = range.rangeStart() != null ? index(range.rangeStart()) : 1;
        this.last = range.rangeEnd() != null ? index(range.rangeEnd()) : subnet.size() - 2;
    }

    /** Returns the attachment's existing address, or reserves the next free one. */
    public Allocation allocate(String containerId, String ifName) {
        return locked(() -> {
            String owner = owner(containerId, ifName);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(FileIpam::isAddressFile).toList()) {
                    if (Files.readString(f).equals(owner)) {
                        return allocation(f.getFileName().toString());
                    }
                }
            }
            long start = Files.exists(dir.resolve(LAST)) ? index(Files.readString(dir.resolve(LAST)).strip()) : last;
            long count = last - first + 1;
            for (long i = 1; i <= count; i++) {
                long idx = first + Math.floorMod(start - first + i, count);
                String ip = subnet.addressStringAt(idx);
                if (ip.equals(gateway) || Files.exists(dir.resolve(ip))) {
                    continue;
                }
                Files.writeString(dir.resolve(ip), owner, StandardOpenOption.CREATE_NEW);
                Files.writeString(dir.resolve(LAST), ip);
                return allocation(ip);
            }
            throw new CniException(CniError.of(CniError.IPAM_EXHAUSTED, "no free address in " + subnet, dir.toString()));
        });
    }

    /** The attachment's current address, if it has one. */
    public java.util.Optional<Allocation> find(String containerId, String ifName) {
        String owner = owner(containerId, ifName);
        return locked(() -> {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(FileIpam::isAddressFile).toList()) {
                    if (Files.readString(f).equals(owner)) {
                        return java.util.Optional.of(allocation(f.getFileName().toString()));
                    }
                }
            }
            return java.util.Optional.<Allocation>empty();
        });
    }

    /** Frees the attachment's address; nothing allocated is fine (DEL is idempotent). */
    public void release(String containerId, String ifName) {
        String owner = owner(containerId, ifName);
        locked(() -> {
            forEachAddress((file, content) -> content.equals(owner));
            return null;
        });
    }

    /** Frees every address whose owner is not among the valid attachments. */
    public int gc(Set<Attachment> valid) {
        Set<String> keep = valid.stream().map(a -> owner(a.containerID(), a.ifname())).collect(Collectors.toSet());
        return locked(() -> forEachAddress((file, content) -> !keep.contains(content)));
    }

    public Set<String> allocated() {
        return locked(() -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(FileIpam::isAddressFile).map(f -> f.getFileName().toString())
                        .collect(Collectors.toSet());
            }
        });
    }

    private interface Matcher {
        boolean delete(Path file, String content) throws IOException;
    }

    private int forEachAddress(Matcher matcher) throws IOException {
        int removed = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(FileIpam::isAddressFile).toList()) {
                if (matcher.delete(f, Files.readString(f))) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        }
        return removed;
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private <T> T locked(IoSupplier<T> body) {
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(dir.toAbsolutePath(), k -> new ReentrantLock());
        jvmLock.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "IPAM store " + dir + " failed", e.getMessage()), e);
        } finally {
            jvmLock.unlock();
        }
    }

    private Allocation allocation(String ip) {
        return new Allocation(ip, subnet.prefixLength(), gateway);
    }

    private long index(String ip) {
        return subnet.indexOf(IpAddresses.parse(ip));
    }

    private static boolean isAddressFile(Path f) {
        return IpAddresses.isValid(f.getFileName().toString());
    }

    private static String owner(String containerId, String ifName) {
        return containerId + "\r\n" + ifName;
    }
}

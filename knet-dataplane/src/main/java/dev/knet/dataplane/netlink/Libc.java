package dev.knet.dataplane.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the in-process dataplane needs, each returning the raw result with errno
 * captured in the same call (a later JVM-internal call could overwrite a separately read errno).
 */
final class Libc {

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int NETLINK_NETFILTER = 12;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_RCVTIMEO = 20;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_ADD_MEMBERSHIP = 1;
    static final int EAGAIN = 11;
    static final int CLONE_NEWNET = 0x40000000;
    static final int MS_BIND = 4096;
    static final int MNT_DETACH = 2;
    static final int O_RDONLY_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SEND = downcall("send", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), ERRNO_OPT);
    private static final MethodHandle UNSHARE = downcall("unshare", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle MOUNT = downcall("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 = downcall("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Libc() {
    }

    /** A call's result: {@code value} < 0 means failure with {@code errno}. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    static Result socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw fatal("socket", t);
        }
    }

    static Result send(int fd, MemorySegment buffer, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((long) SEND.invokeExact(state, fd, buffer, length, 0), state);
        } catch (Throwable t) {
            throw fatal("send", t);
        }
    }

    static Result recv(int fd, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), 0), state);
        } catch (Throwable t) {
            throw fatal("recv", t);
        }
    }

    static Result setsockopt(int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment v = arena.allocateFrom(ValueLayout.JAVA_INT, value);
            return result((int) SETSOCKOPT.invokeExact(state, fd, level, name, v, 4), state);
        } catch (Throwable t) {
            throw fatal("setsockopt", t);
        }
    }

    /** SO_RCVTIMEO: a blocking recv gives up with EAGAIN after {@code millis}. */
    static Result receiveTimeout(int fd, long millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment timeval = arena.allocate(16, 8); // struct timeval: tv_sec, tv_usec as longs
            timeval.set(ValueLayout.JAVA_LONG, 0, millis / 1000);
            timeval.set(ValueLayout.JAVA_LONG, 8, millis % 1000 * 1000);
            return result((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16), state);
        } catch (Throwable t) {
            throw fatal("setsockopt", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw fatal("close", t);
        }
    }

    static Result open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0), state);
        } catch (Throwable t) {
            throw fatal("open", t);
        }
    }

    static Result unshare(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) UNSHARE.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw fatal("unshare", t);
        }
    }

    static Result bindMount(String source, String target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom("none"), (long) MS_BIND, MemorySegment.NULL), state);
        } catch (Throwable t) {
            throw fatal("mount", t);
        }
    }

    static Result detach(String target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return result((int) UMOUNT2.invokeExact(state, arena.allocateFrom(target), MNT_DETACH), state);
        } catch (Throwable t) {
            throw fatal("umount2", t);
        }
    }

    private static Result result(long value, MemorySegment state) {
        return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
    }

    private static IllegalStateException fatal(String call, Throwable t) {
        return new IllegalStateException(call + " could not be called", t);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO_OPT);
    }
}

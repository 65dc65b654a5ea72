package dev.knet.dataplane.nft;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The few libnftables functions knet uses, bound once. Callers keep every call on one pinned thread. */
final class LibNftablesCalls {

    record Result(int rc, String output, String error) {
    }

    private final MethodHandle ctxNew;
    private final MethodHandle ctxFree;
    private final MethodHandle bufferOutput;
    private final MethodHandle bufferError;
    private final MethodHandle runCmd;
    private final MethodHandle outputBuffer;
    private final MethodHandle errorBuffer;

    LibNftablesCalls() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libnftables.so.1", Arena.global());
        ctxNew = linker.downcallHandle(lib.find("nft_ctx_new").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        ctxFree = linker.downcallHandle(lib.find("nft_ctx_free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        bufferOutput = linker.downcallHandle(lib.find("nft_ctx_buffer_output").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        bufferError = linker.downcallHandle(lib.find("nft_ctx_buffer_error").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        runCmd = linker.downcallHandle(lib.find("nft_run_cmd_from_buffer").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        outputBuffer = linker.downcallHandle(lib.find("nft_ctx_get_output_buffer").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        errorBuffer = linker.downcallHandle(lib.find("nft_ctx_get_error_buffer").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /** A context whose output and errors go to buffers instead of stdout/stderr. */
    MemorySegment newContext() throws NftException {
        try {
            return newContextUnchecked();
        } catch (NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new NftException(NftException.Kind.OTHER, "nft_ctx_new failed", "", t);
        }
    }

    private MemorySegment newContextUnchecked() throws Throwable {
        MemorySegment ctx = (MemorySegment) ctxNew.invokeExact(0);
        if (ctx.equals(MemorySegment.NULL)) {
            throw new NftException(NftException.Kind.OTHER, "nft_ctx_new failed", "");
        }
        int a = (int) bufferOutput.invokeExact(ctx);
        int b = (int) bufferError.invokeExact(ctx);
        return ctx;
    }

    Result run(MemorySegment ctx, String text) throws NftException {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) runCmd.invokeExact(ctx, arena.allocateFrom(text));
            return new Result(rc, read((MemorySegment) outputBuffer.invokeExact(ctx)), read((MemorySegment) errorBuffer.invokeExact(ctx)));
        } catch (Throwable t) {
            throw new NftException(NftException.Kind.OTHER, "nft_run_cmd_from_buffer failed", "", t);
        }
    }

    void free(MemorySegment ctx) {
        try {
            ctxFree.invokeExact(ctx);
        } catch (Throwable t) {
            throw new IllegalStateException("nft_ctx_free failed", t);
        }
    }

    private static String read(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? "" : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }
}

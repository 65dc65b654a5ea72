package dev.knet.cni.server;

import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thin client's framing: a magic number, the environment as length-prefixed UTF-8 pairs and
 * stdin as bytes; the answer is the exit code and stdout. Deliberately free of JSON so the client
 * JVM loads almost nothing.
 */
final class WireFormat {

    static final int MAGIC = 0x4B4E4331; // "KNC1"
    private static final int MAX_BYTES = 16 << 20;

    private WireFormat() {
    }

    static void writeRequest(DataOutputStream out, CniRequest request) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(request.env().size());
        for (Map.Entry<String, String> e : request.env().entrySet()) {
            writeBytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeBytes(out, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        writeBytes(out, request.stdin());
        out.flush();
    }

    static CniRequest readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a knet CNI request");
        }
        int n = in.readInt();
        if (n < 0 || n > 1024) {
            throw new IOException("bad environment size " + n);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            env.put(new String(readBytes(in), StandardCharsets.UTF_8), new String(readBytes(in), StandardCharsets.UTF_8));
        }
        return new CniRequest(env, readBytes(in));
    }

    static void writeResponse(DataOutputStream out, CniResponse response) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(response.exitCode());
        writeBytes(out, response.stdout());
        out.flush();
    }

    static CniResponse readResponse(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a knet CNI response");
        }
        int exit = in.readInt();
        return new CniResponse(exit, readBytes(in));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > MAX_BYTES) {
            throw new IOException("bad field length " + len);
        }
        return in.readNBytes(len);
    }
}

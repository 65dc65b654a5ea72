package dev.knet.cni.plugin;

import dev.knet.cni.server.KnetCniClient;
import dev.knet.cni.spec.CniCommand;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniJson;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.cni.spec.CniVersions;
import dev.knet.cni.spec.VersionResult;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.DataplaneException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * knet's CNI plugin, type {@code knet}. {@link #handle} is the whole plugin as a function
 * (request in, stdout + exit code out) so the agent can serve it over {@code KnetCniServer} and
 * tests can drive it over fakes; {@link #main} is the process entry point the wrapper script runs.
 */
public final class KnetCniPlugin {

    /** Where the thin client looks for the agent; "off" forces in-process execution. */
    public static final String SOCKET_ENV = "KNET_CNI_SOCKET";
    public static final String DEFAULT_SOCKET = "/run/knet/cni.sock";

    private final Dataplane dp;
    private final NodeSetup nodeSetup;
    // one attachment must not see ADD and DEL interleave; striping keeps the lock table bounded
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public KnetCniPlugin(Dataplane dp) {
        this.dp = dp;
        this.nodeSetup = new NodeSetup(dp.sysctls());
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Process entry: forward to the agent if one listens, else run in this JVM. Kept free of JSON
     * and dataplane classes until the fallback so the forwarding JVM starts and exits quickly.
     */
    public static void main(String[] args) throws IOException {
        byte[] stdin = System.in.readAllBytes();
        CniRequest request = CniRequest.fromProcess(System.getenv(), stdin);
        String socket = System.getenv().getOrDefault(SOCKET_ENV, DEFAULT_SOCKET);
        CniResponse response = ("off".equals(socket) ? java.util.Optional.<CniResponse>empty()
                : KnetCniClient.forward(Path.of(socket), request))
                .orElseGet(() -> new KnetCniPlugin(Dataplane.real()).handle(request));
        System.out.write(response.stdout());
        System.out.flush();
        System.exit(response.exitCode());
    }

    /** Runs one CNI call; never throws, failures become the spec's error object and exit code 1. */
    public CniResponse handle(CniRequest request) {
        String version = CniVersions.CURRENT;
        try {
            CniCommand command = request.command();
            if (command == CniCommand.VERSION) {
                return version(request);
            }
            KnetNetConf conf = KnetNetConf.parse(request.stdinText());
            version = conf.cniVersion();
            conf.validated();
            return switch (command) {
                case ADD -> locked(request, () -> CniResponse.success(CniJson.write(
                        new PodAttacher(dp, nodeSetup).add(conf, PodTarget.from(request, true), PodAttacher.AddressSource.of(conf)))));
                case DEL -> locked(request, () -> {
                    new PodDetacher(dp).del(conf, PodTarget.from(request, false));
                    return CniResponse.empty();
                });
                case CHECK -> locked(request, () -> {
                    new PodChecker(dp).check(conf, PodTarget.from(request, true));
                    return CniResponse.empty();
                });
                case STATUS -> status(conf);
                case GC -> {
                    requireVersion(conf, "1.1.0", "GC");
                    new PodDetacher(dp).gc(conf, conf.validAttachmentsOrEmpty());
                    yield CniResponse.empty();
                }
                case VERSION -> throw new IllegalStateException("handled above");
            };
        } catch (CniException e) {
            return CniResponse.failure(e.error().withVersion(version));
        } catch (DataplaneException e) {
            return CniResponse.failure(new CniError(version, CniError.DATAPLANE_FAILED, e.getMessage(), e.stderr()));
        } catch (RuntimeException e) {
            return CniResponse.failure(new CniError(version, CniError.DATAPLANE_FAILED,
                    "internal error: " + e, null));
        }
    }

    private CniResponse version(CniRequest request) {
        String asked = CniVersions.CURRENT;
        if (request.stdin().length > 0) {
            JsonNode v = CniJson.readObject(request.stdinText()).get("cniVersion");
            if (v != null && v.isString()) {
                asked = v.asString();
            }
        }
        return CniResponse.success(CniJson.write(new VersionResult(asked, CniVersions.SUPPORTED)));
    }

    private CniResponse status(KnetNetConf conf) {
        requireVersion(conf, "1.1.0", "STATUS");
        if (!dp.netns().exists(conf.nodeNetns())) {
            return CniResponse.failure(new CniError(conf.cniVersion(), CniError.NOT_AVAILABLE,
                    "node namespace " + conf.nodeNetns() + " does not exist", null));
        }
        return CniResponse.empty();
    }

    private static void requireVersion(KnetNetConf conf, String minimum, String what) {
        if (!CniVersions.atLeast(conf.cniVersion(), minimum)) {
            throw new CniException(CniError.of(CniError.INCOMPATIBLE_VERSION, what + " needs cniVersion " + minimum
                    + " or later", null));
        }
    }

    private CniResponse locked(CniRequest request, java.util.function.Supplier<CniResponse> body) {
        String key = request.get(CniRequest.CONTAINER_ID) + "/" + request.get(CniRequest.IFNAME);
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** Convenience for the agent: a handler over the real dataplane. */
    public static KnetCniPlugin real() {
        return new KnetCniPlugin(Dataplane.real());
    }
}

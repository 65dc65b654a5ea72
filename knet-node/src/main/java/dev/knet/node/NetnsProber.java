package dev.knet.node;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real prober: TCP and HTTP probes connect from a socket created in the pod namespace (so they
 * take the pod's own path, as the kubelet's do from the host), exec probes run through
 * {@code ip netns exec}. Named ports are not resolved: a probe on a named port fails.
 */
public final class NetnsProber implements Prober {

    private final NodeAgentDeps.NetnsCommand netnsCommand;

    public NetnsProber(NodeAgentDeps.NetnsCommand netnsCommand) {
        this.netnsCommand = netnsCommand;
    }

    @Override
    public boolean probe(Target target, Probe probe) {
        Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
        try {
            if (probe.getTcpSocket() != null) {
                String host = hostOr(probe.getTcpSocket().getHost(), target.podIp());
                try (Socket ignored = target.sockets().connectTcp(
                        new InetSocketAddress(host, port(probe.getTcpSocket().getPort())), timeout)) {
                    return true;
                }
            }
            if (probe.getHttpGet() != null) {
                var get = probe.getHttpGet();
                return httpGet(target, hostOr(get.getHost(), target.podIp()), port(get.getPort()),
                        get.getPath() == null ? "/" : get.getPath(), timeout);
            }
            if (probe.getExec() != null && probe.getExec().getCommand() != null) {
                List<String> argv = netnsCommand.wrap(target.netns(), probe.getExec().getCommand());
                Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean httpGet(Target target, String host, int port, String path, Duration timeout)
            throws IOException {
        try (Socket s = target.sockets().connectTcp(new InetSocketAddress(host, port), timeout)) {
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nUser-Agent: kube-probe/knet\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 200"
            if (head.length < 12) {
                return false;
            }
            int code = Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
            return code >= 200 && code < 400; // the kubelet's success range
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String hostOr(String host, String fallback) {
        return host == null || host.isBlank() ? fallback : host;
    }

    private static int port(IntOrString port) {
        if (port == null || port.getIntVal() == null) {
            throw new IllegalArgumentException("named probe ports are not supported");
        }
        return port.getIntVal();
    }
}

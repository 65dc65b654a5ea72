package dev.knet.cni.plugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.knet.cni.spec.Attachment;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniJson;
import dev.knet.cni.spec.CniResult;
import dev.knet.cni.spec.CniVersions;
import dev.knet.dataplane.link.LinkNames;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.netns.NetnsNames;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * The knet plugin's configuration, e.g.
 * <pre>{"cniVersion":"1.1.0","name":"knet","type":"knet","mode":"bridge","nodeNetns":"knet-c1-n1",
 *  "mtu":1450,"capabilities":{"ips":true},"ipam":{"type":"host-local","subnet":"10.244.1.0/24"}}</pre>
 * {@code nodeNetns} is where the host end of each veth goes: knet's nodes are namespaces, and the
 * plugin never touches the machine's own namespace. {@code bigTcp} (default off) lets pods send and
 * receive TCP packets of up to 192 KiB on their veth, as Cilium's BIG TCP does: fewer, larger packets
 * through every hop. Only the runtime knows whether every hop behind the node takes them (a device that
 * does not cuts each one into MTU-sized packets in software, far slower than no BIG TCP at all), so it
 * is asked for, never assumed; the lab asks for it where it built the underlay for it. A VXLAN device
 * cannot carry such packets (its outer UDP length is 16 bits), so vxlan mode refuses it.
 */
public record KnetNetConf(String cniVersion, String name, String type, String mode, String nodeNetns, String bridge,
                          Integer mtu, Boolean bigTcp, IpamConf ipam, CniResult.Dns dns, RuntimeConfig runtimeConfig,
                          JsonNode prevResult,
                          @JsonProperty("cni.dev/valid-attachments") List<Attachment> validAttachments) {

    public static final String DEFAULT_BRIDGE = "knbr0";

    /** Capability arguments the runtime passes; knet declares "ips". */
    public record RuntimeConfig(List<String> ips) {
    }

    public static KnetNetConf parse(String json) {
        KnetNetConf conf = CniJson.read(json, KnetNetConf.class);
        if (conf.cniVersion() == null) {
            throw invalid("cniVersion is missing");
        }
        if (!CniVersions.supported(conf.cniVersion())) {
            throw new CniException(CniError.of(CniError.INCOMPATIBLE_VERSION, "knet does not support cniVersion "
                    + conf.cniVersion(), "supported: " + CniVersions.SUPPORTED));
        }
        return conf;
    }

    /** Checks what ADD/DEL/CHECK need beyond VERSION. */
    public KnetNetConf validated() {
        if (name == null || name.isBlank()) {
            throw invalid("name is missing");
        }
        if (mode == null) {
            throw invalid("mode is missing (bridge, routed, vxlan, cloud)");
        }
        networkMode();
        if (!NetnsNames.isKnet(nodeNetns)) {
            throw invalid("nodeNetns must name a knet node namespace (knet-...), got " + nodeNetns);
        }
        try {
            LinkNames.require(bridgeName());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (mtu != null && (mtu < 576 || mtu > 9000)) {
            throw invalid("mtu " + mtu + " out of range 576-9000");
        }
        if (Boolean.TRUE.equals(bigTcp) && networkMode() == KnetMode.VXLAN) {
            throw invalid("bigTcp cannot be used in vxlan mode: VXLAN carries packets of at most 64 KiB");
        }
        if (requestedIps().isEmpty() && (ipam == null || ipam.range() == null)) {
            throw invalid("no address source: neither runtimeConfig.ips nor an ipam range");
        }
        return this;
    }

    /** The mode as an enum; kept a string in the record so a bad value is a config error, not a decode error. */
    public KnetMode networkMode() {
        return KnetMode.parse(mode);
    }

    public String bridgeName() {
        return bridge == null ? DEFAULT_BRIDGE : bridge;
    }

    /** The pod veth's GSO/GRO limit: BIG TCP's size, or 0 for the kernel default. */
    public int gsoMaxSize() {
        return Boolean.TRUE.equals(bigTcp) ? VethSpec.BIG_TCP : 0;
    }

    public int mtuOrZero() {
        return mtu == null ? 0 : mtu;
    }

    public List<String> requestedIps() {
        return runtimeConfig == null || runtimeConfig.ips() == null ? List.of() : runtimeConfig.ips();
    }

    public List<Attachment> validAttachmentsOrEmpty() {
        return validAttachments == null ? List.of() : validAttachments;
    }

    static CniException invalid(String msg) {
        return new CniException(CniError.of(CniError.INVALID_CONFIG, msg, null));
    }
}

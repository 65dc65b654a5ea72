package dev.knet.cni.plugin;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.cni.spec.CniRequest;
import dev.knet.dataplane.link.LinkNames;
import dev.knet.dataplane.netns.NetnsNames;

/**
 * Which attachment a call is about, from the CNI environment. {@code podNetns} is null when DEL
 * comes without a namespace (allowed: the runtime may have removed it already).
 */
public record PodTarget(String containerId, String netnsPath, String podNetns, String ifName) {

    public static PodTarget from(CniRequest request, boolean netnsRequired) {
        String containerId = request.require(CniRequest.CONTAINER_ID);
        String ifName = request.require(CniRequest.IFNAME);
        try {
            LinkNames.require(ifName);
        } catch (IllegalArgumentException e) {
            throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, e.getMessage(), null), e);
        }
        String path = netnsRequired ? request.require(CniRequest.NETNS) : request.get(CniRequest.NETNS);
        String name = null;
        if (path != null) {
            try {
                name = NetnsNames.fromPath(path);
            } catch (IllegalArgumentException e) {
                // DEL never enters the pod namespace, so a path knet could not use is no reason to fail it
                if (netnsRequired) {
                    throw new CniException(CniError.of(CniError.INVALID_ENVIRONMENT, e.getMessage(), null), e);
                }
            }
        }
        return new PodTarget(containerId, path, name, ifName);
    }

    public String hostEnd() {
        return HostEndName.of(containerId, ifName);
    }
}

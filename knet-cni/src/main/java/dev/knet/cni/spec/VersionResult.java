package dev.knet.cni.spec;

import java.util.List;

/** What a plugin prints for VERSION. */
public record VersionResult(String cniVersion, List<String> supportedVersions) {
}

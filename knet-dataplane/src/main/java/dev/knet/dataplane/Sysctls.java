package dev.knet.dataplane;

/** Kernel parameters inside a knet namespace; there is no way to reach the root namespace's. */
public interface Sysctls {

    void set(String netns, String key, String value);

    String get(String netns, String key);
}

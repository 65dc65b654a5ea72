/**
 * Linux plumbing behind seams: {@link dev.knet.dataplane.Dataplane} bundles namespaces, links,
 * routes, neighbours, FDB, sysctls and batches, each with an iproute2-backed implementation and a
 * stateful fake ({@link dev.knet.dataplane.FakeDataplane}) that enforces the kernel's rules. What a
 * pod sandbox needs also has an in-process implementation ({@code dev.knet.dataplane.netlink}:
 * syscalls and rtnetlink, no process per pod), which {@link dev.knet.dataplane.Dataplane#real()} uses.
 *
 * <p>Safety by construction: every command runs in a {@link dev.knet.dataplane.NetnsScope}, and the
 * only scopes are "inside a knet-... namespace" and "manage namespace files". Nothing can address
 * the host's root network namespace. {@code DataplaneContract} runs the same behaviour tests
 * against the fakes and the kernel, which keeps the fakes honest.
 */
package dev.knet.dataplane;

/**
 * NetworkPolicy and ClusterNetworkPolicy enforcement on real packets with nftables, generated from the policy
 * model of {@code dev.knet.policy} (the same selector evaluation and tier semantics the matrix and
 * {@code knet why} use).
 *
 * <h2>Where packets are filtered</h2>
 * <pre>
 *   pod A ──veth kp-a──┐                                ┌──veth kp-b── pod B
 *                      ▼          node namespace        │
 *          prerouting (service DNAT) ──► routing ──► FORWARD ──► postrouting (masquerade)
 *                                                       │
 *                          table inet knet-policy, chain forward (filter, priority 0)
 *                            ct state established,related accept   ← replies, admitted flows
 *                            ct state invalid drop
 *                            iifname . oifname @hairpin accept       ← a pod reaching itself via a VIP
 *                            iifname vmap @egress-pods   → egress-admin | egress-np | egress-baseline
 *                            oifname vmap @ingress-pods  → ingress-admin | ingress-np | ingress-baseline
 *                            (policy accept)
 * </pre>
 * The forward hook runs after the service proxy's DNAT, so policy sees the chosen endpoint, as Kubernetes
 * requires. A packet between two pods of one node passes both the source's egress and the destination's
 * ingress checks in one traversal; between nodes, the source node checks egress (the packet leaves through
 * the uplink, not a pod veth) and the destination node checks ingress. Traffic the node itself originates
 * (output hook) is not filtered: node-to-pod traffic such as health probes is allowed, as most implementations
 * do.
 *
 * <p><b>Bridge mode.</b> With {@link dev.knet.policy.enforce.PodMatch#INTERFACE} (routed mode, the default)
 * each pod has its own routed veth and the interface identifies the pod. When pods hang off a bridge
 * (L2 mode), same-node traffic is bridged and never reaches the {@code inet} forward hook unless the node
 * namespace sets {@code net.bridge.bridge-nf-call-iptables=1}; with it set, bridged IPv4 packets do pass that
 * hook, but with the bridge as both input and output device. So L2 mode requires that sysctl in the node
 * namespace and {@link dev.knet.policy.enforce.PodMatch#ADDRESS}, which recognises pods by address
 * ({@code ip saddr}/{@code ip daddr}) instead of interface. (A {@code bridge}-family table would avoid
 * bridge netfilter, but the dataplane's nft objects do not offer that family.)
 *
 * <h2>Tier chains</h2>
 * Each direction has three chains, entered from the dispatch map at the first tier that has a policy for
 * the pod, and left with {@code goto} so the call stack stays one frame deep and {@code return} always lands
 * back in {@code forward}, which then runs the other direction's check:
 * <pre>
 *   egress-admin     Admin policies by priority, each rule guarded by "iifname @subj-N":
 *                      Accept → return (allowed)   Deny → log + drop   Pass → goto egress-np
 *                    goto egress-np
 *   egress-np        every NetworkPolicy allow rule → return
 *                    iifname @&lt;isolated pods&gt; log + drop       (rules are a union; isolation drops last)
 *                    goto egress-baseline
 *   egress-baseline  Baseline policies: Accept/Pass → return, Deny → log + drop; end → return (default allow)
 * </pre>
 * A rule's peers become one address set ({@code ip daddr @peer-N} for egress, {@code ip saddr} for ingress):
 * selected pods' addresses and ipBlocks minus their exceptions, merged into disjoint intervals. Its ports become
 * a {@code meta l4proto . th dport} set (endPort ranges as intervals) and, for named ports, a
 * {@code ip daddr . meta l4proto . th dport} set resolved on every possible destination pod. Sets are shared
 * by content. So the rule count is O(policy rules) and independent of the number of pods: pods only add set
 * elements.
 *
 * <h2>Drops</h2>
 * Denied packets are counted, logged to NFLOG ({@code log prefix "knet-drop:<id> " group N}) and dropped, not
 * rejected: most implementations drop, the e2e probes time out either way, and a drop gives a scanning pod
 * nothing. {@link dev.knet.policy.enforce.DropReasons} maps the ids back to the tier, direction, policy and
 * rule, and explains a logged packet with the model's own sentence.
 *
 * <h2>Updates and existing connections</h2>
 * Every sync writes one transaction that deletes and recreates the table; nft commits it atomically, so no
 * packet ever sees a missing deny or a lost allow. Because {@code ct state established,related accept} comes
 * first, connections admitted before a policy change continue until conntrack forgets them; only new
 * connections see the new policy (Kubernetes leaves this implementation-defined). Newly denied flows are not
 * flushed from conntrack.
 *
 * <h2>Limits</h2>
 * Peer and named-port sets are IPv4: IPv6 pod addresses and ipBlocks are not compiled, so an IPv6 packet
 * never matches a peer-restricted rule (allow rules fail closed, Deny rules do not apply to it).
 */
package dev.knet.policy.enforce;

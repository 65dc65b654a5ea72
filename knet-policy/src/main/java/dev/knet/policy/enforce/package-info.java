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
 * Each direction has three tier chains, entered from the dispatch map at the first tier that has a policy for
 * the pod. A tier chain only dispatches again: local pods with the same policies in that tier form a class,
 * and a verdict map ({@code <tier chain>-classes}) sends the pod's packet with {@code goto} to its class chain
 * ({@code <tier chain>-<n>}), which holds just those policies' rules. The first packet of a new flow therefore
 * walks the rules of the policies that select its pod, not every policy on the node (nft walks a chain
 * linearly). Everything is left with {@code goto}, so the call stack stays one frame deep and {@code return}
 * always lands back in {@code forward}, which then runs the other direction's check:
 * <pre>
 *   egress-admin       iifname vmap @egress-admin-classes; goto egress-np
 *     egress-admin-N   the class's Admin policies by priority:
 *                        Accept → return (allowed)   Deny → log + drop   Pass → goto egress-np
 *                      goto egress-np
 *   egress-np          iifname vmap @egress-np-classes; goto egress-baseline   (pods no NetworkPolicy selects)
 *     egress-np-N      every allow rule of the class's NetworkPolicies → return
 *                      log + drop                        (the class's pods are isolated: rules are a union)
 *   egress-baseline    iifname vmap @egress-baseline-classes; end → return (default allow)
 *     egress-baseline-N  Baseline policies: Accept/Pass → return, Deny → log + drop; end → return
 * </pre>
 * A policy selecting pods of several classes is repeated in each class chain: classes follow selections,
 * which the policies of one application usually share, so the repetition stays small in practice.
 *
 * <p>A rule's peers become at most two address matches ({@code ip daddr} for egress, {@code ip saddr} for
 * ingress): the selected pods' addresses, and the ipBlocks minus their exceptions, each merged into disjoint
 * intervals and as separate nft rules. Policies usually share pod selections but each brings its own ipBlock;
 * kept apart, the pod sets are shared by content and a block of one prefix or range is matched inline with
 * no set at all. Numbered ports of one protocol become {@code meta l4proto tcp th dport} with one value or a
 * set of ports and ranges (single-field intervals: concatenated interval sets cost far more to create); ports
 * of several protocols a {@code meta l4proto . th dport} set; named ports a
 * {@code ip daddr . meta l4proto . th dport} set resolved on every possible destination pod. Sets are shared
 * by content.
 *
 * <p>In a NetworkPolicy class chain all rules allow, so they form a union of (peer, port) pairs and may be
 * regrouped freely: peers allowed on the same port expression merge into one rule over the union of their
 * addresses, and the numbered ports of one protocol, each with its peers, into one concatenated
 * {@code ip saddr . th dport} set ({@code pair-N}). A pod under many policies, each with its own ipBlock and
 * ports, then costs the first packet of a new flow a lookup or two, not a walk over a rule per policy (105
 * rules became 3 for the busiest class of the 1,000-policy benchmark). So the rule count follows the
 * distinct port expressions, not the number of pods or policies: both add set elements.
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

/**
 * {@code knet observe}: a live stream of flow verdicts, like Hubble's: the packets NetworkPolicy enforcement
 * dropped and the new connections the nodes forwarded, each explained by the policy model.
 *
 * <p><b>Drops.</b> The enforcement logs every drop to NFLOG with the prefix {@code "knet-drop:<id> "}
 * ({@link dev.knet.policy.enforce.PolicyRulesetGenerator}); the ids are only meaningful inside the node agent
 * that allocated them, so this reader explains a packet from the outside instead: the chain the id's rule sits
 * in (read from the node's ruleset) gives the tier and direction, and the model's verdict for the packet's flow
 * over the current cluster objects names the policy and rule. When the model would have allowed a packet the
 * kernel dropped, the line says so: enforcement and model disagree.
 *
 * <p><b>Forwarded flows.</b> Pod-to-pod and pod-to-Service traffic passes the node namespace, whose conntrack
 * creates an entry per connection and announces it (a ctnetlink NEW event) only when the entry is confirmed,
 * after the first packet passed every filter hook: an event means the firewall let the flow through. The
 * reply tuple names the endpoint a Service's DNAT chose, which is what policy judges, so the line shows the
 * endpoint with the Service beside it and the model's reason for allowing it ({@link
 * dev.knet.policy.observe.FlowExplainer} says which flows are skipped). A forwarded flow the model would deny
 * is flagged the same way. Without conntrack events in the kernel the stream shows drops only and says so once.
 *
 * <pre>
 *   node netns: drop rule ──NFLOG group 100──► NflogSource ─────► listener thread ─┐
 *   node netns: conntrack ──NEW events───────► ConntrackSource ─► listener thread ─┤
 *   node netns: ...                                                                ├─► queue ─► DropExplainer / FlowExplainer ─► line
 *   cluster objects (refreshed ≤ 1/s) ─► ModelCache ───────────────────────────────┘
 * </pre>
 */
package dev.knet.policy.observe;

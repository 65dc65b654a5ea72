/**
 * {@code knet observe}: a live stream of the packets NetworkPolicy enforcement dropped, each explained by the
 * policy model. The enforcement logs every drop to NFLOG with the prefix {@code "knet-drop:<id> "}
 * ({@link dev.knet.policy.enforce.PolicyRulesetGenerator}); the ids are only meaningful inside the node agent
 * that allocated them, so this reader explains a packet from the outside instead: the chain the id's rule sits
 * in (read from the node's ruleset) gives the tier and direction, and the model's verdict for the packet's flow
 * over the current cluster objects names the policy and rule. When the model would have allowed a packet the
 * kernel dropped, the line says so: enforcement and model disagree.
 *
 * <pre>
 *   node netns: drop rule ──NFLOG group 100──► NflogSource ──► listener thread ─┐
 *   node netns: ...                                                             ├─► queue ─► DropExplainer ─► line
 *   cluster objects (refreshed ≤ 1/s) ─► ModelCache ────────────────────────────┘
 * </pre>
 */
package dev.knet.policy.observe;

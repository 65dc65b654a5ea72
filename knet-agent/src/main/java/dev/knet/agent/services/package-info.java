/**
 * The Service proxy (kube-proxy's job) on nftables. {@link dev.knet.agent.services.ServiceTranslator} cuts
 * Services and EndpointSlices down to {@link dev.knet.agent.services.ServiceInfo} and
 * {@link dev.knet.agent.services.EndpointInfo}; {@link dev.knet.agent.services.ServiceRulesetGenerator} turns
 * them into one table whose size in rules does not grow with services (see ServiceLayout for the hooks and
 * chains); {@link dev.knet.agent.services.ServiceProxy} is the sync loop that writes it, fully or by element
 * changes. Semantics covered: ClusterIP from pods and the node, NodePort, LoadBalancer IPs, both traffic
 * policies, ClientIP affinity, terminating-endpoint fallback, reject without endpoints, hairpin and egress
 * masquerade. IPv4 only for now.
 */
package dev.knet.agent.services;

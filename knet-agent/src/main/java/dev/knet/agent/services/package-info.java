/**
 * The Service proxy (kube-proxy's job) on nftables. {@link dev.knet.agent.services.ServiceTranslator} cuts
 * Services and EndpointSlices down to {@link dev.knet.agent.services.ServiceInfo} and
 * {@link dev.knet.agent.services.EndpointInfo}; {@link dev.knet.agent.services.ServiceRulesetGenerator} turns
 * them, one service at a time, into one table whose size in rules does not grow with services (see
 * ServiceLayout for the hooks and chains); {@link dev.knet.agent.services.ServiceProxy} is the sync loop that
 * writes it. The loop keeps each service's generated elements (ServiceRulesetCache over an ElementTable), so a
 * partial sync regenerates only the services touched since the last one and writes only their element
 * changes; backends keep their numgen buckets across changes, so replacing one endpoint is two map operations.
 * Full syncs rewrite the table in place and keep remembered session affinity. Semantics covered: ClusterIP from
 * pods and the node, NodePort, LoadBalancer IPs, both traffic policies (pods reaching a Local-policy LB IP or
 * NodePort are treated as Cluster), ClientIP affinity (also on NodePorts), terminating-endpoint fallback,
 * reject without endpoints, hairpin and egress masquerade. IPv4 only for now.
 *
 * <p>Beside the proxy, other {@link dev.knet.agent.services.ServiceEventSink}s take the same feed:
 * {@link dev.knet.agent.services.HealthCheckServer} (healthCheckNodePort listeners for externalTrafficPolicy
 * Local), {@link dev.knet.agent.services.LoadBalancerAnnouncer} (answers ARP for LoadBalancer addresses, one
 * elected node per address) and {@link dev.knet.agent.services.MetricsServer} serves the proxy's meters.
 */
package dev.knet.agent.services;

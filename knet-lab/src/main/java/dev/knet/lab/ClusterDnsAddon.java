package dev.knet.lab;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * Cluster DNS as a cluster runs it: pods of CoreDNS's image in kube-system (served by knet's DNS
 * server, a built-in workload) behind the kube-dns Service at the DNS address of the service range.
 */
public final class ClusterDnsAddon {

    private ClusterDnsAddon() {
    }

    public static List<HasMetadata> objects(String apiUrl, String dnsIp) {
        return Manifests.parse("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: kube-dns
                  namespace: kube-system
                  labels: {k8s-app: kube-dns}
                spec:
                  clusterIP: %s
                  selector: {k8s-app: kube-dns}
                  ports:
                  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
                  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
                  - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: coredns
                  namespace: kube-system
                  labels: {k8s-app: kube-dns}
                spec:
                  replicas: 2
                  selector: {matchLabels: {k8s-app: kube-dns}}
                  template:
                    metadata: {labels: {k8s-app: kube-dns}}
                    spec:
                      dnsPolicy: Default
                      containers:
                      - name: coredns
                        image: registry.k8s.io/coredns/coredns:v1.11.1
                        env: [{name: KNET_API_URL, value: "%s"}]
                        ports:
                        - {name: dns, containerPort: 53, protocol: UDP}
                        - {name: dns-tcp, containerPort: 53, protocol: TCP}
                        - {name: metrics, containerPort: 9153, protocol: TCP}
                """.formatted(dnsIp, apiUrl), "cluster DNS add-on");
    }
}

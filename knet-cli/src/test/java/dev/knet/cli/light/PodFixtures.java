package dev.knet.cli.light;

/**
 * Objects for the table comparisons: pods in the states `knet get pods` tells apart, Services of every type,
 * nodes ready and not. Creation times lie years back, so AGE does not change between the two runs compared.
 */
final class PodFixtures {

    private PodFixtures() {
    }

    static final String VARIOUS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-running, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {nodeName: node-1, containers: [{name: c, image: agnhost}]}
            status:
              phase: Running
              podIP: 10.244.1.2
              containerStatuses: [{name: c, image: agnhost, imageID: "", ready: true, restartCount: 0,
                                   state: {running: {startedAt: "2021-01-01T00:00:01Z"}}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pending-without-status, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {containers: [{name: c, image: agnhost}, {name: d, image: agnhost}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: crashing, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {nodeName: node-2, containers: [{name: a, image: agnhost}, {name: b, image: busybox}]}
            status:
              phase: Running
              containerStatuses:
              - {name: a, image: agnhost, imageID: "", ready: true, restartCount: 2, state: {running: {}}}
              - {name: b, image: busybox, imageID: "", ready: false, restartCount: 7,
                 state: {waiting: {reason: CrashLoopBackOff}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: leaving, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z",
                       deletionTimestamp: "2021-01-02T00:00:00Z"}
            spec: {containers: [{name: c, image: agnhost}]}
            status: {phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: evicted, namespace: default}
            spec: {containers: [{name: c, image: agnhost}]}
            status: {phase: Failed, reason: Evicted}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: coredns-a-very-long-pod-name-that-widens-the-column, namespace: kube-system,
                       creationTimestamp: "2022-06-01T00:00:00Z"}
            spec: {nodeName: node-1, containers: [{name: dns, image: coredns}]}
            status:
              phase: Running
              containerStatuses: [{name: dns, image: coredns, imageID: "", ready: true, restartCount: 0,
                                   state: {running: {}}}]
            """;

    static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {type: ClusterIP, clusterIP: 10.96.0.20, selector: {app: web}, ports: [{port: 80, protocol: TCP}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: nodeport, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec:
              type: NodePort
              clusterIP: 10.96.0.21
              ports: [{port: 80, nodePort: 30080, protocol: TCP}, {port: 53, nodePort: 30053, protocol: UDP}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: lb-pending, namespace: default, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {type: LoadBalancer, clusterIP: 10.96.0.22, ports: [{port: 443, nodePort: 30443, protocol: TCP}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: external, namespace: shop, creationTimestamp: "2021-01-01T00:00:00Z"}
            spec: {type: ExternalName, externalName: db.example.test}
            """;

    static final String NODES = """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-1
              creationTimestamp: "2021-01-01T00:00:00Z"
              labels: {node-role.kubernetes.io/control-plane: ""}
            status:
              conditions: [{type: Ready, status: "True"}]
              nodeInfo: {kubeletVersion: v1.34.0-knet, architecture: amd64, bootID: "", containerRuntimeVersion: "",
                         kernelVersion: "", kubeProxyVersion: "", machineID: "", operatingSystem: linux,
                         osImage: "", systemUUID: ""}
              addresses: [{type: InternalIP, address: 198.18.0.11}]
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: node-2, creationTimestamp: "2021-01-01T00:00:00Z"}
            status:
              conditions: [{type: Ready, status: "False"}]
            """;
}

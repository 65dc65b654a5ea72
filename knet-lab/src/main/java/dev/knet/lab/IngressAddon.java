package dev.knet.lab;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * The ingress controller as clusters run ingress-nginx: pods of knet's L7 proxy (a built-in
 * workload) in their own namespace behind a LoadBalancer Service, serving IngressClass "knet"
 * (the default class) and Gateway API routes.
 */
public final class IngressAddon {

    public static final String NAMESPACE = "knet-ingress";
    public static final String SERVICE = "knet-ingress";
    public static final String IMAGE = "knet.dev/ingress-controller:0.1";

    private IngressAddon() {
    }

    public static List<HasMetadata> objects(String apiUrl) {
        return Manifests.parse("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %1$s
                ---
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: knet
                  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
                spec:
                  controller: knet.dev/ingress-controller
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %2$s
                  namespace: %1$s
                  labels: {app.kubernetes.io/name: knet-ingress}
                spec:
                  type: LoadBalancer
                  selector: {app.kubernetes.io/name: knet-ingress}
                  ports:
                  - {name: http, port: 80, protocol: TCP, targetPort: http}
                  - {name: https, port: 443, protocol: TCP, targetPort: https}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: knet-ingress-controller
                  namespace: %1$s
                  labels: {app.kubernetes.io/name: knet-ingress}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app.kubernetes.io/name: knet-ingress}}
                  template:
                    metadata: {labels: {app.kubernetes.io/name: knet-ingress}}
                    spec:
                      containers:
                      - name: controller
                        image: %3$s
                        args: [--ingress-class=knet, --http-port=80, --https-port=443]
                        env: [{name: KNET_API_URL, value: "%4$s"}]
                        ports:
                        - {name: http, containerPort: 80, protocol: TCP}
                        - {name: https, containerPort: 443, protocol: TCP}
                        readinessProbe:
                          tcpSocket: {port: 80}
                          periodSeconds: 2
                """.formatted(NAMESPACE, SERVICE, IMAGE, apiUrl), "ingress add-on");
    }
}

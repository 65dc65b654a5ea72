package dev.knet.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** The writes the agent makes to pods through the API server. */
final class PodApi {

    /** Where the CLI finds a pod's network namespace. */
    static final String NETNS_ANNOTATION = "knet.dev/netns";
    private final KubernetesClient client;

    PodApi(KubernetesClient client) {
        this.client = client;
    }

    /** Replaces the status; false on a conflict (the watch event of the newer object triggers a retry). */
    boolean writeStatus(Pod pod, PodStatus status) {
        Pod next = new PodBuilder(pod).withStatus(status).build();
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(next).updateStatus();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false; // our copy is older than the server's; the watch brings the new one
            }
            throw e;
        }
    }

    /**
     * Merge-patches the netns annotation onto the pod.
     *
     * @return the patched pod (its new resourceVersion lets the status write that follows succeed)
     */
    Pod annotateNetns(Pod pod, String netns) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + NETNS_ANNOTATION + "\":\"" + netns + "\"}}}";
        Pod patched = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        return patched == null ? pod : patched;
    }

    /** The final removal of a terminating pod whose sandbox is gone. */
    void deleteNow(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .withGracePeriod(0).delete();
    }
}

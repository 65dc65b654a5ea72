package dev.knet.node;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Builds a pod's status from what the agent runs, keeping transition times of unchanged conditions. */
final class PodStatuses {

    private PodStatuses() {
    }

    static PodStatus build(Pod pod, PodRuntime rt, String hostIp, Instant now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean allRunning = !rt.containers.isEmpty();
        boolean allReady = !rt.containers.isEmpty();
        boolean allDone = !rt.containers.isEmpty();
        boolean anyFailed = false;
        boolean anyWaiting = false;
        for (ContainerSlot slot : rt.containers.values()) {
            statuses.add(containerStatus(slot));
            allRunning &= slot.running != null;
            allReady &= slot.ready();
            boolean finished = slot.done && slot.lastExitCode != null;
            allDone &= finished;
            anyFailed |= finished && slot.lastExitCode != 0;
            anyWaiting |= slot.running == null && !finished && slot.startedAt == null; // crash restarts stay Running
        }
        String phase = allDone ? (anyFailed ? "Failed" : "Succeeded")
                : (!anyWaiting || allRunning) ? "Running" : "Pending";
        boolean ready = allReady && "Running".equals(phase);
        List<PodCondition> conditions = List.of(
                condition(old, "PodScheduled", true, now),
                condition(old, "Initialized", true, now),
                condition(old, "ContainersReady", ready, now),
                condition(old, "Ready", ready, now));
        // the sandbox's address is the truth: a conflist with its own IPAM (host-local) chooses it, and
        // hostNetwork pods take the node's
        String podIp = rt.context != null ? rt.context.podIp().getHostAddress() : old.getPodIP();
        return new PodStatusBuilder(old)
                .withPhase(phase)
                .withHostIP(hostIp)
                .withPodIP(podIp)
                .withPodIPs(podIp == null ? List.of() : List.of(new PodIP(podIp)))
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : now.toString())
                .withConditions(conditions)
                .withContainerStatuses(statuses)
                .build();
    }

    /** What decides whether a status write is needed: everything but timestamps. */
    static String signature(PodStatus s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Objects.toString(s.getPhase())).append('|').append(s.getHostIP());
        Optional.ofNullable(s.getConditions()).orElse(List.of())
                .forEach(c -> sb.append('|').append(c.getType()).append('=').append(c.getStatus()));
        for (ContainerStatus c : Optional.ofNullable(s.getContainerStatuses()).orElse(List.of())) {
            ContainerState st = c.getState() == null ? new ContainerState() : c.getState();
            sb.append('|').append(c.getName()).append(c.getReady()).append(c.getRestartCount())
                    .append(st.getRunning() != null ? "R" : st.getTerminated() != null
                            ? "T" + st.getTerminated().getExitCode() : st.getWaiting() == null ? "?"
                            : "W" + st.getWaiting().getReason() + st.getWaiting().getMessage());
        }
        return sb.toString();
    }

    private static ContainerStatus containerStatus(ContainerSlot slot) {
        ContainerState state;
        if (slot.running != null) {
            state = new ContainerStateBuilder().withNewRunning()
                    .withStartedAt(slot.startedAt == null ? null : slot.startedAt.toString()).endRunning().build();
        } else if (slot.done && slot.lastExitCode != null) {
            state = new ContainerStateBuilder().withNewTerminated().withExitCode(slot.lastExitCode)
                    .withReason(slot.lastExitCode == 0 ? "Completed" : "Error").endTerminated().build();
        } else {
            state = new ContainerStateBuilder().withNewWaiting().withReason(slot.waitingReason)
                    .withMessage(slot.waitingMessage).endWaiting().build();
        }
        return new ContainerStatusBuilder()
                .withName(slot.spec.getName())
                .withImage(slot.spec.getImage())
                .withImageID("")
                .withContainerID(slot.running == null ? null : "knet://" + slot.spec.getName())
                .withReady(slot.ready())
                .withStarted(slot.running != null)
                .withRestartCount(slot.restartCount)
                .withState(state)
                .build();
    }

    private static PodCondition condition(PodStatus old, String type, boolean value, Instant now) {
        String status = value ? "True" : "False";
        PodCondition previous = old.getConditions() == null ? null : old.getConditions().stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        boolean unchanged = previous != null && status.equals(previous.getStatus())
                && previous.getLastTransitionTime() != null;
        String since = unchanged ? previous.getLastTransitionTime() : now.toString();
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(since).build();
    }
}

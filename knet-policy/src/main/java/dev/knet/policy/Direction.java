package dev.knet.policy;

/** Which side of a flow a policy rule governs: ingress at the destination, egress at the source. */
public enum Direction {
    INGRESS, EGRESS;

    public String word() {
        return this == INGRESS ? "ingress" : "egress";
    }
}

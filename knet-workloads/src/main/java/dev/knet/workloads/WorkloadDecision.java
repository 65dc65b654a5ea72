package dev.knet.workloads;

/** What the agent does with a container, as decided by {@link WorkloadFactory#forContainer}. */
public sealed interface WorkloadDecision {

    /** knet runs this workload in-process. */
    record BuiltIn(Workload workload) implements WorkloadDecision {
    }

    /** Not an image knet knows (or its command replaces the image's program): run command/args as a process. */
    record NotBuiltIn(String reason) implements WorkloadDecision {
    }

    /** The container cannot run; the message goes into the pod's status. */
    record Invalid(String message) implements WorkloadDecision {
    }
}

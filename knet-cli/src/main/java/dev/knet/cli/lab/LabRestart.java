package dev.knet.cli.lab;

import dev.knet.dataplane.ProcessCommandRunner;
import dev.knet.dataplane.netns.IpNetnsManager;
import dev.knet.lab.LabAdoption;
import dev.knet.lab.LabCleanup;
import dev.knet.lab.LabNames;
import dev.knet.lab.LabOptions;
import dev.knet.lab.LabShape;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What `knet up` finds of an earlier run of the same lab: a daemon that died without `knet down`
 * leaves its state (the store's journal, the agents' CNI caches) and its namespaces, pods and all.
 * The new daemon then adopts them (same shape) or rebuilds (another shape); this says which, before
 * it starts, so the user knows whether the pods survive.
 *
 * @param options  what the daemon is started with: the recorded shape unless the user chose one
 * @param existing the lab's namespaces that are there now
 * @param adoption what the daemon will do with them
 */
public record LabRestart(LabOptions options, List<String> existing, LabAdoption adoption) {

    /**
     * @param asked      the options from the command line
     * @param shapeGiven whether the user gave --mode, --nodes or --bgp (else the recorded shape wins)
     */
    public static LabRestart plan(Path clusterDir, LabOptions asked, boolean shapeGiven) {
        Optional<LabShape> recorded = LabShape.read(clusterDir);
        LabOptions options = !shapeGiven && recorded.isPresent()
                ? recorded.get().toOptions(asked.clusterName()) : asked;
        LabCleanup cleanup = new LabCleanup(new IpNetnsManager(new ProcessCommandRunner()), null);
        List<String> existing = cleanup.namespaces(new LabNames(asked.clusterName()));
        return new LabRestart(options, existing, LabAdoption.decide(LabShape.of(options), recorded, existing));
    }

    /** One line for the user, or empty when there is nothing from an earlier run. */
    public Optional<String> describe(Optional<DaemonInfo> deadDaemon) {
        String lab = "Lab \"" + options.clusterName() + "\": ";
        String daemon = deadDaemon.map(d -> "its daemon (pid " + d.pid() + ") is not running; ").orElse("");
        return switch (adoption) {
            case LabAdoption.Fresh fresh -> deadDaemon.map(d -> lab + daemon + "starting a new one over its state.");
            case LabAdoption.Adopt adopt -> Optional.of(lab + daemon + "restarting it over its state and adopting its "
                    + adopt.namespaces().size() + " namespaces; running pods keep their network.");
            case LabAdoption.Rebuild rebuild -> Optional.of(lab + daemon + "removing " + rebuild.namespaces().size()
                    + " namespaces of an earlier lab (" + rebuild.reason() + ") and building it again.");
        };
    }
}

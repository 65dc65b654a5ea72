package dev.knet.dataplane.netns;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.NetnsScope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code ip netns add/del}, with existence read straight from /run/netns (no process needed). */
public final class IpNetnsManager implements NetnsManager {

    private final CommandRunner runner;

    public IpNetnsManager(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void create(String name) {
        NetnsNames.requireKnet(name);
        if (exists(name)) {
            throw new DataplaneException(DataplaneException.Kind.EXISTS, "network namespace " + name + " exists");
        }
        runner.run(NetnsScope.admin(), List.of("ip", "netns", "add", name));
        // a fresh namespace has lo down; nearly everything (ping to self, local sockets) needs it up
        runner.run(NetnsScope.in(name), List.of("ip", "link", "set", "lo", "up"));
    }

    @Override
    public void delete(String name) {
        NetnsNames.requireKnet(name);
        if (!exists(name)) {
            return;
        }
        try {
            runner.run(NetnsScope.admin(), List.of("ip", "netns", "del", name));
        } catch (DataplaneException e) {
            if (exists(name)) {
                throw e;
            }
        }
    }

    @Override
    public List<String> list() {
        String out = runner.run(NetnsScope.admin(), List.of("ip", "netns", "list")).stdout();
        // lines look like "knet-a-node1 (id: 3)"
        return out.lines().map(l -> l.split("\\s+")[0]).filter(NetnsNames::isKnet).sorted().toList();
    }

    @Override
    public boolean exists(String name) {
        return Files.exists(Path.of(NetnsNames.path(name)));
    }
}

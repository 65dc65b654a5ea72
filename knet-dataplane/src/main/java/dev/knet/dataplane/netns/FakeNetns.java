package dev.knet.dataplane.netns;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.Faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/** In-memory namespaces; deleting one tells listeners (the fake links drop their devices). */
public final class FakeNetns implements NetnsManager {

    private final Set<String> names = new TreeSet<>();
    private final List<Consumer<String>> deleteListeners = new ArrayList<>();
    private final Faults faults;

    public FakeNetns(Faults faults) {
        this.faults = faults;
    }

    public FakeNetns() {
        this(new Faults());
    }

    public synchronized void onDelete(Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    @Override
    public synchronized void create(String name) {
        NetnsNames.requireKnet(name);
        faults.check("netns.create");
        if (!names.add(name)) {
            throw new DataplaneException(DataplaneException.Kind.EXISTS, "network namespace " + name + " exists");
        }
    }

    @Override
    public synchronized void delete(String name) {
        NetnsNames.requireKnet(name);
        faults.check("netns.delete");
        if (names.remove(name)) {
            deleteListeners.forEach(l -> l.accept(name));
        }
    }

    @Override
    public synchronized List<String> list() {
        return List.copyOf(names);
    }

    @Override
    public synchronized boolean exists(String name) {
        return names.contains(NetnsNames.requireKnet(name));
    }

    /** Throws NOT_FOUND unless the namespace exists; what the kernel says for {@code ip -n missing}. */
    public synchronized void require(String name) {
        if (!exists(name)) {
            throw new DataplaneException(DataplaneException.Kind.NOT_FOUND,
                    "Cannot open network namespace \"" + name + "\": No such file or directory");
        }
    }
}

package dev.knet.cli.command;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Locale;

/** kubectl's way of naming an object in messages: "deployment.apps/web", "service/web". */
final class Names {

    private Names() {
    }

    static String qualified(HasMetadata o) {
        ResourceKind<?> kind = ResourceKinds.of(o).orElse(null);
        String k = o.getKind().toLowerCase(Locale.ROOT);
        if (kind != null && !kind.group().isEmpty()) {
            k = k + "." + kind.group();
        }
        return k + "/" + o.getMetadata().getName();
    }

    static String qualified(ResourceKind<?> kind, String name) {
        String k = kind.kind().toLowerCase(Locale.ROOT);
        return (kind.group().isEmpty() ? k : k + "." + kind.group()) + "/" + name;
    }
}

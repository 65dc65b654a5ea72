package dev.knet.store.validation;

import dev.knet.store.AdmissionPlugin;
import dev.knet.store.StoreView;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Fills Kubernetes' defaults on CREATE and UPDATE (see {@link Defaults}). Register it first, before
 * allocators and before {@link ValidationPlugin}, so those see what will be stored.
 */
public final class DefaultingPlugin implements AdmissionPlugin {

    @Override
    public void admit(Operation operation, HasMetadata object, HasMetadata old, StoreView view) {
        switch (operation) {
            case CREATE, UPDATE -> Defaults.apply(object);
            case UPDATE_STATUS, DELETE -> {
            }
        }
    }
}

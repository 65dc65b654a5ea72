package dev.knet.store.validation;

import dev.knet.model.ObjectKey;
import dev.knet.store.AdmissionPlugin;
import dev.knet.store.ApiException;
import dev.knet.store.FieldError;
import dev.knet.store.StoreView;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * Refuses invalid objects on CREATE and UPDATE with {@link ApiException.Invalid}, naming every bad
 * field. Register after {@link DefaultingPlugin} (and after any allocator that fills fields), since
 * it checks the object exactly as it will be stored. Status writes and deletes are not checked.
 */
public final class ValidationPlugin implements AdmissionPlugin {

    @Override
    public void admit(Operation operation, HasMetadata object, HasMetadata old, StoreView view) {
        switch (operation) {
            case CREATE, UPDATE -> {
                List<FieldError> errors = Validation.check(object, operation == Operation.UPDATE ? old : null);
                if (!errors.isEmpty()) {
                    throw new ApiException.Invalid(ObjectKey.of(object), errors);
                }
            }
            case UPDATE_STATUS, DELETE -> {
            }
        }
    }
}

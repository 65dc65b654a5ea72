package dev.knet.store.validation;

import dev.knet.model.Manifests;
import dev.knet.store.ApiException;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A store with the two plugins in the order the daemon registers them, and helpers around it. */
final class AdmissionFixture {

    /** Kubernetes' regex messages, written out here rather than taken from the code under test. */
    static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*')";
    static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters "
            + "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',"
            + "  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String NAME_PART_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',"
            + "  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
    static final String IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    private AdmissionFixture() {
    }

    static DefaultApiStore store() {
        return DefaultApiStore.builder()
                .admission(new DefaultingPlugin())
                .admission(new ValidationPlugin())
                .build();
    }

    static List<HasMetadata> parse(String yaml) {
        return Manifests.parse(yaml, "case");
    }

    static List<Mutation> creates(List<HasMetadata> objects) {
        return objects.stream().<Mutation>map(Mutation.Create::new).toList();
    }

    /** Creates the documents in one transaction on a fresh store; returns the Invalid it must throw. */
    static ApiException.Invalid rejection(String yaml) {
        try (DefaultApiStore store = store()) {
            List<Mutation> batch = creates(parse(yaml));
            ApiException.Invalid e = catchThrowableOfType(ApiException.Invalid.class, () -> store.commit(batch));
            if (e == null) {
                throw new AssertionError("expected ApiException.Invalid for:\n" + yaml);
            }
            return e;
        }
    }
}

package dev.knet.store.validation;

import dev.knet.store.FieldError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Collects {@link FieldError}s with the factories of Kubernetes' {@code field} package.
 *
 * <p>{@link FieldError} prints "Invalid value" whenever it has a value, so errors of the other
 * Kubernetes types that show a value (Unsupported value, Duplicate value, Too many) carry the
 * whole body in the reason and no value: the printed message is then exactly the Kubernetes one.
 */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int size() {
        return errors.size();
    }

    public void add(FieldError error) {
        errors.add(error);
    }

    /** {@code path: Required value}. */
    public void required(FieldPath path) {
        errors.add(FieldError.required(path.text()));
    }

    /** {@code path: Required value: detail}. */
    public void required(FieldPath path, String detail) {
        errors.add(new FieldError(path.text(), null, "Required value: " + detail));
    }

    /** {@code path: Invalid value: "value": detail}. */
    public void invalid(FieldPath path, Object value, String detail) {
        errors.add(FieldError.invalid(path.text(), value == null ? "null" : value, detail));
    }

    /** One Invalid error per message, as Kubernetes reports a name failing several rules. */
    public void invalidEach(FieldPath path, Object value, Collection<String> messages) {
        for (String m : messages) {
            invalid(path, value, m);
        }
    }

    /** {@code path: Unsupported value: "value": supported values: "A", "B"} (supported in the given order). */
    public void notSupported(FieldPath path, Object value, List<String> supported) {
        String list = supported.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        errors.add(new FieldError(path.text(), null,
                "Unsupported value: \"" + value + "\": supported values: " + list));
    }

    /** {@code path: Duplicate value: "value"}. */
    public void duplicate(FieldPath path, Object value) {
        errors.add(new FieldError(path.text(), null, "Duplicate value: \"" + value + "\""));
    }

    /** {@code path: Forbidden: detail}. */
    public void forbidden(FieldPath path, String detail) {
        errors.add(new FieldError(path.text(), null, "Forbidden: " + detail));
    }

    /** {@code path: Too many: 1001: must have at most 1000 items}. */
    public void tooMany(FieldPath path, int actual, int max) {
        errors.add(new FieldError(path.text(), null,
                "Too many: " + actual + ": must have at most " + max + (max == 1 ? " item" : " items")));
    }

    /** {@code path: Too long: may not be more than N bytes}. */
    public void tooLong(FieldPath path, int maxBytes) {
        errors.add(new FieldError(path.text(), null, "Too long: may not be more than " + maxBytes + " bytes"));
    }

    /** A string list printed as Go's %#v prints a []string, the way Kubernetes shows a bad list. */
    static String goList(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[]string{", "}"));
    }

    /** A string map printed as Go's %#v prints a map[string]string (keys sorted, as fmt does). */
    static String goMap(Map<String, String> values) {
        Map<String, String> sorted = new TreeMap<>(values == null ? Map.of() : values);
        return sorted.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "map[string]string{", "}"));
    }
}

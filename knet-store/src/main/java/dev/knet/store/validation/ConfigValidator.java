package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** ConfigMaps and Secrets: key syntax, and the keys a typed Secret must hold. */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    public static void validate(ConfigMap cm, FieldErrors errs) {
        MetadataValidator.validate(cm.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        Map<String, String> binary = cm.getBinaryData() == null ? Map.of() : cm.getBinaryData();
        for (String key : data.keySet()) {
            FieldPath p = FieldPath.of("data").key(key);
            errs.invalidEach(p, key, Names.configKey(key));
            if (binary.containsKey(key)) {
                errs.invalid(p, key, "duplicate of key present in binaryData");
            }
        }
        for (String key : binary.keySet()) {
            errs.invalidEach(FieldPath.of("binaryData").key(key), key, Names.configKey(key));
        }
    }

    public static void validate(Secret secret, FieldErrors errs) {
        MetadataValidator.validate(secret.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
        for (String key : data.keySet()) {
            errs.invalidEach(FieldPath.of("data").key(key), key, Names.configKey(key));
        }
        for (String key : stringData.keySet()) {
            errs.invalidEach(FieldPath.of("stringData").key(key), key, Names.configKey(key));
        }
        // stringData is merged into data by the API, so a key in either counts.
        Set<String> keys = new HashSet<>(data.keySet());
        keys.addAll(stringData.keySet());
        String type = secret.getType() == null ? "" : secret.getType();
        switch (type) {
            case "kubernetes.io/tls" -> {
                requireKey(keys, "tls.crt", errs);
                requireKey(keys, "tls.key", errs);
            }
            case "kubernetes.io/basic-auth" -> {
                if (!keys.contains("username") && !keys.contains("password")) {
                    errs.required(FieldPath.of("data").key("username"));
                    errs.required(FieldPath.of("data").key("password"));
                }
            }
            case "kubernetes.io/dockerconfigjson" -> requireKey(keys, ".dockerconfigjson", errs);
            case "" -> errs.required(FieldPath.of("type"));
            default -> errs.invalidEach(FieldPath.of("type"), type, Names.qualifiedName(type));
        }
    }

    private static void requireKey(Set<String> keys, String key, FieldErrors errs) {
        if (!keys.contains(key)) {
            errs.required(FieldPath.of("data").key(key));
        }
    }
}

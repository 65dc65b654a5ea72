package dev.knet.api;

import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;

import java.util.Arrays;
import java.util.List;

/**
 * A Kubernetes REST path taken apart: /api/v1/namespaces/NS/pods/NAME/status,
 * /apis/GROUP/VERSION/PLURAL, ... The Namespace object itself is /api/v1/namespaces/NAME.
 */
public record RestPath(ResourceKind<?> kind, String namespace, String name, String subresource) {

    public boolean isCollection() {
        return name == null;
    }

    public static RestPath parse(String path) {
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        String group;
        String version;
        List<String> rest;
        if (s.size() >= 2 && s.get(0).equals("api")) {
            group = "";
            version = s.get(1);
            rest = s.subList(2, s.size());
        } else if (s.size() >= 3 && s.get(0).equals("apis")) {
            group = s.get(1);
            version = s.get(2);
            rest = s.subList(3, s.size());
        } else {
            throw new ApiException.BadRequest("the server could not find the requested resource " + path);
        }
        String namespace = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            throw new ApiException.BadRequest("the server could not find the requested resource " + path);
        }
        String plural = rest.get(0);
        ResourceKind<?> kind = ResourceKinds.byPath(group, version, plural).orElseThrow(() ->
                new ApiException.BadRequest("the server could not find the requested resource " + path));
        String name = rest.size() > 1 ? rest.get(1) : null;
        String sub = rest.size() > 2 ? rest.get(2) : null;
        if (sub != null && !sub.equals("status")) {
            throw new ApiException.BadRequest("subresource \"" + sub + "\" is not served");
        }
        return new RestPath(kind, kind.namespaced() ? namespace : null, name, sub);
    }
}

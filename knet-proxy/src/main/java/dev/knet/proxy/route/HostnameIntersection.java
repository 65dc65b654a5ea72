package dev.knet.proxy.route;

import java.util.ArrayList;
import java.util.List;

/**
 * The hostnames an HTTPRoute serves on a listener: the intersection of the listener's hostname
 * with the route's hostnames (Gateway API wildcards cover one or more labels). Empty means the
 * route does not attach to the listener.
 */
final class HostnameIntersection {

    private HostnameIntersection() {
    }

    static List<HostPattern> of(HostPattern listener, List<String> routeHostnames) {
        if (routeHostnames.isEmpty()) {
            return List.of(listener);
        }
        List<HostPattern> result = new ArrayList<>();
        for (String name : routeHostnames) {
            HostPattern route = HostPattern.of(name);
            HostPattern common = intersect(listener, route);
            if (common != null && !result.contains(common)) {
                result.add(common);
            }
        }
        return result;
    }

    private static HostPattern intersect(HostPattern listener, HostPattern route) {
        if (listener.isAny()) {
            return route;
        }
        if (route.isAny()) {
            return listener;
        }
        HostPattern.WildcardScope scope = HostPattern.WildcardScope.ANY_LABELS;
        if (!listener.isWildcard() && !route.isWildcard()) {
            return listener.equals(route) ? route : null;
        }
        if (!route.isWildcard()) {
            return listener.matches(route.value(), scope) ? route : null;
        }
        if (!listener.isWildcard()) {
            return route.matches(listener.value(), scope) ? listener : null;
        }
        // two wildcards: the narrower one, if one contains the other
        String ls = listener.value().substring(1);
        String rs = route.value().substring(1);
        if (ls.endsWith(rs)) {
            return listener;
        }
        return rs.endsWith(ls) ? route : null;
    }
}

package dev.knet.proxy.route;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;

import java.util.List;

/** Turns HTTPRouteFilters into knet filters; an unsupported filter fails the rule. */
final class FilterCompiler {

    /** A filter knet cannot apply; the rule answers 500 with this reason. */
    static final class UnsupportedFilterException extends Exception {
        UnsupportedFilterException(String message) {
            super(message);
        }
    }

    private FilterCompiler() {
    }

    static Filter compile(HTTPRouteFilter filter) throws UnsupportedFilterException {
        String type = filter.getType() == null ? "" : filter.getType();
        return switch (type) {
            case "RequestHeaderModifier" -> new Filter.RequestHeaderModifier(edits(filter.getRequestHeaderModifier()));
            case "ResponseHeaderModifier" -> new Filter.ResponseHeaderModifier(edits(filter.getResponseHeaderModifier()));
            case "RequestRedirect" -> redirect(filter.getRequestRedirect());
            case "URLRewrite" -> filter.getUrlRewrite() == null
                    ? new Filter.UrlRewrite(null, null)
                    : new Filter.UrlRewrite(filter.getUrlRewrite().getHostname(), path(filter.getUrlRewrite().getPath()));
            default -> throw new UnsupportedFilterException("filter type '" + type + "' is not supported");
        };
    }

    private static Filter.RequestRedirect redirect(HTTPRequestRedirectFilter r) {
        if (r == null) {
            return new Filter.RequestRedirect(null, null, null, null, 302);
        }
        int status = r.getStatusCode() == null ? 302 : r.getStatusCode();
        return new Filter.RequestRedirect(r.getScheme(), r.getHostname(), path(r.getPath()), r.getPort(), status);
    }

    private static PathModifier path(HTTPPathModifier m) {
        if (m == null || m.getType() == null) {
            return null;
        }
        return switch (m.getType()) {
            case "ReplaceFullPath" -> new PathModifier.ReplaceFullPath(m.getReplaceFullPath());
            case "ReplacePrefixMatch" -> new PathModifier.ReplacePrefixMatch(m.getReplacePrefixMatch());
            default -> null;
        };
    }

    private static HeaderEdits edits(HTTPHeaderFilter f) {
        if (f == null) {
            return new HeaderEdits(List.of(), List.of(), List.of());
        }
        return new HeaderEdits(headers(f.getSet()), headers(f.getAdd()),
                f.getRemove() == null ? List.of() : f.getRemove());
    }

    private static List<HeaderEdits.Header> headers(List<HTTPHeader> headers) {
        return headers == null ? List.of()
                : headers.stream().map(h -> new HeaderEdits.Header(h.getName(), h.getValue())).toList();
    }
}

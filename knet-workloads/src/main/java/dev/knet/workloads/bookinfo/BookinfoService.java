package dev.knet.workloads.bookinfo;

import dev.knet.workloads.ImageRef;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which Bookinfo service an image is: istio/examples-bookinfo-SERVICE-VERSION. */
public record BookinfoService(Kind kind, String version) {

    public enum Kind { PRODUCTPAGE, DETAILS, REVIEWS, RATINGS }

    private static final Pattern NAME = Pattern.compile("examples-bookinfo-(productpage|details|reviews|ratings)-(v\\d+)");

    public static Optional<BookinfoService> fromImage(ImageRef ref) {
        boolean istio = ref.repository().startsWith("istio/") && (ref.registry().isEmpty()
                || ref.registry().equals("docker.io") || ref.registry().equals("index.docker.io"));
        Matcher m = NAME.matcher(ref.name());
        if (!istio || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new BookinfoService(Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT)), m.group(2)));
    }

    /** e.g. "reviews-v2". */
    public String label() {
        return kind.name().toLowerCase(Locale.ROOT) + "-" + version;
    }
}

package dev.knet.workloads.pod;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a pod's resolv.conf that name resolution needs.
 *
 * @param nameservers IP literals, tried in order
 * @param searches    the search list
 * @param ndots       names with fewer dots are tried with the search list first
 */
public record ResolvConfig(List<String> nameservers, List<String> searches, int ndots) {

    /** glibc's default when resolv.conf says nothing. */
    public static final int DEFAULT_NDOTS = 1;

    public ResolvConfig {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        if (ndots < 0) {
            throw new IllegalArgumentException("ndots must not be negative: " + ndots);
        }
    }

    /** Reads nameserver, search/domain and options ndots:N lines; the last search or domain line wins. */
    public static ResolvConfig parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        int ndots = DEFAULT_NDOTS;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1) {
                        nameservers.add(f[1]);
                    }
                }
                case "search", "domain" -> {
                    searches.clear();
                    searches.addAll(List.of(f).subList(1, f.length));
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        if (f[i].startsWith("ndots:")) {
                            ndots = Math.min(15, Integer.parseInt(f[i].substring("ndots:".length())));
                        }
                    }
                }
                default -> { }
            }
        }
        return new ResolvConfig(nameservers, searches, ndots);
    }

    /** The fully qualified names to query for {@code name}, in the order a stub resolver tries them. */
    public List<String> candidates(String name) {
        if (name.endsWith(".")) {
            return List.of(name);
        }
        List<String> withSearch = new ArrayList<>();
        for (String search : searches) {
            withSearch.add(name + "." + (search.endsWith(".") ? search : search + "."));
        }
        long dots = name.chars().filter(c -> c == '.').count();
        List<String> out = new ArrayList<>();
        if (dots >= ndots) {
            out.add(name + ".");
            out.addAll(withSearch);
        } else {
            out.addAll(withSearch);
            out.add(name + ".");
        }
        return out;
    }
}

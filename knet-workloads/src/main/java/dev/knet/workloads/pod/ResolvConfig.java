package dev.knet.workloads.pod;

import dev.knet.dns.resolv.ResolvConf;

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

    /** Reads a resolv.conf (parsed as cluster DNS writes it); the last options ndots:N counts, capped at 15 as glibc does. */
    public static ResolvConfig parse(String text) {
        ResolvConf conf = ResolvConf.parse(text);
        int ndots = DEFAULT_NDOTS;
        for (String option : conf.options()) {
            if (option.startsWith("ndots:")) {
                ndots = Math.min(15, Integer.parseInt(option.substring("ndots:".length())));
            }
        }
        return new ResolvConfig(conf.nameservers(), conf.searches(), ndots);
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

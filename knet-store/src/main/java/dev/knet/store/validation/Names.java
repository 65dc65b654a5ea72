package dev.knet.store.validation;

import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name and value rules of Kubernetes' {@code apimachinery/pkg/util/validation}, with its exact
 * messages. Each check returns the list of failed rules' messages (empty when valid), because
 * Kubernetes reports one error per failed rule.
 */
public final class Names {

    public static final int DNS1123_LABEL_MAX = 63;
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    public static final int QUALIFIED_NAME_MAX = 63;
    public static final int LABEL_VALUE_MAX = 63;
    public static final int PORT_NAME_MAX = 15;

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String UNDERSCORE_LABEL_FMT = "[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?";
    private static final String UNDERSCORE_SUBDOMAIN_FMT = UNDERSCORE_LABEL_FMT + "(\\." + UNDERSCORE_LABEL_FMT + ")*";
    private static final Pattern UNDERSCORE_SUBDOMAIN = Pattern.compile(UNDERSCORE_SUBDOMAIN_FMT);
    private static final String UNDERSCORE_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower "
            + "case alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            + "or '_'";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String WILDCARD_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
    private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a "
            + "valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end "
            + "with an alphanumeric character";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, "
            + "'-', '_' or '.'";

    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");

    public static final String PORT_RANGE_MSG = inclusiveRange(1, 65535);
    public static final String IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    public static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
    public static final String NEGATIVE_MSG = "must be greater than or equal to 0";

    private Names() {
    }

    public static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            errs.add(maxLen(DNS1123_LABEL_MAX));
        }
        if (!isLabel(value)) {
            // A valid subdomain that is no label can only be so because of its dots.
            errs.add(isSubdomain(value) ? "must not contain dots"
                    : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
        }
        return errs;
    }

    public static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        }
        if (!isSubdomain(value)) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /**
     * A DNS-1123 subdomain whose labels may also hold '_' (DNS search paths such as _sip._tcp.example.com,
     * RelaxedDNSSearchValidation).
     */
    public static List<String> dns1123SubdomainWithUnderscore(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        }
        if (!UNDERSCORE_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(UNDERSCORE_SUBDOMAIN_MSG, UNDERSCORE_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** RFC 1035 label: a DNS-1123 label that starts with a letter (Service names). */
    public static List<String> dns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            errs.add(maxLen(DNS1123_LABEL_MAX));
        }
        if (!(isLabel(value) && value.charAt(0) >= 'a' && value.charAt(0) <= 'z')) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** "*.example.com": the wildcard host form of Ingress rules and TLS hosts. */
    public static List<String> wildcardDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        }
        if (!(value.startsWith("*.") && isSubdomain(value.substring(2)))) {
            errs.add(regexError(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"));
        }
        return errs;
    }

    /** A label or annotation key: optional DNS-subdomain prefix and '/', then a name part of 63 characters. */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    dns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT,
                        "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > QUALIFIED_NAME_MAX) {
            errs.add("name part " + maxLen(QUALIFIED_NAME_MAX));
        }
        if (!isQualifiedNamePart(name)) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > LABEL_VALUE_MAX) {
            errs.add(maxLen(LABEL_VALUE_MAX));
        }
        if (!(value.isEmpty() || isQualifiedNamePart(value))) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** IANA_SVC_NAME: a named port (containerPort name, named targetPort, NetworkPolicy port). */
    public static List<String> portName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > PORT_NAME_MAX) {
            errs.add(maxLen(PORT_NAME_MAX));
        }
        if (!PORT_NAME_CHARSET.matcher(value).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.chars().noneMatch(ch -> ch >= 'a' && ch <= 'z')) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (value.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    public static List<String> portNumber(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(PORT_RANGE_MSG);
    }

    /** A ConfigMap or Secret data key. */
    public static List<String> configKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regexError(CONFIG_KEY_MSG, CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** A name that becomes one segment of a REST path. */
    public static List<String> pathSegmentName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.equals(".") || value.equals("..")) {
            errs.add("may not be '" + value + "'");
            return errs;
        }
        for (String bad : List.of("/", "%")) {
            if (value.contains(bad)) {
                errs.add("may not contain '" + bad + "'");
            }
        }
        return errs;
    }

    public static boolean isIp(String value) {
        return value != null && value.equals(value.strip()) && IpAddresses.isValid(value);
    }

    public static boolean isCidr(String value) {
        if (value == null || !value.contains("/") || !value.equals(value.strip())) {
            return false;
        }
        try {
            Cidr.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    public static String inclusiveRange(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    /** Kubernetes' RegexError, including its quirk of ",  or " between examples. */
    static String regexError(String msg, String fmt, String... examples) {
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    /*
     * The formats above are what Kubernetes prints; matching is done by hand because Java's regex
     * engine recurses per character on these group patterns and overflows the stack on long input.
     */

    private static boolean isLabel(String s) {
        if (s.isEmpty() || !alnumLower(s.charAt(0)) || !alnumLower(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!alnumLower(s.charAt(i)) && s.charAt(i) != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSubdomain(String s) {
        for (String part : s.split("\\.", -1)) {
            if (!isLabel(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isQualifiedNamePart(String s) {
        if (s.isEmpty() || !alnum(s.charAt(0)) || !alnum(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean alnumLower(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean alnum(char c) {
        return alnumLower(c) || (c >= 'A' && c <= 'Z');
    }
}

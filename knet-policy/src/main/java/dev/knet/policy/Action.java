package dev.knet.policy;

/** What a matching rule does. NetworkPolicy rules only ever ACCEPT. */
public enum Action {
    ACCEPT, DENY, PASS;

    static Action parse(String text) {
        return switch (text == null ? "" : text) {
            case "Accept", "Allow" -> ACCEPT;
            case "Deny" -> DENY;
            case "Pass" -> PASS;
            default -> throw new PolicyException("unknown ClusterNetworkPolicy action \"" + text + "\"");
        };
    }
}

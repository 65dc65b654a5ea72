package dev.knet.dataplane.link;

/** A forwarding entry on a VXLAN device: frames for {@code mac} go to the VTEP {@code dst}. */
public record FdbEntry(String mac, String dev, String dst) {

    /** The all-zero MAC: appended once per remote VTEP, it makes BUM traffic flood to each of them. */
    public static final String FLOOD = "00:00:00:00:00:00";

    public FdbEntry {
        mac = mac.toLowerCase(java.util.Locale.ROOT);
        LinkNames.require(dev);
    }
}

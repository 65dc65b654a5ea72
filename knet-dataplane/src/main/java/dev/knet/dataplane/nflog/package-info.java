/**
 * Packets logged by nftables {@code log group N} rules, as the kernel's nfnetlink_log hands them to a listener:
 * the record of one logged packet ({@link dev.knet.dataplane.nflog.NflogPacket}), a pure parser of the netlink
 * messages ({@link dev.knet.dataplane.nflog.NflogParser}) and the source a reader pulls them from
 * ({@link dev.knet.dataplane.nflog.NflogSource}; the kernel one is
 * {@link dev.knet.dataplane.netlink.NflogSocket}, which needs the package-private libc bindings).
 */
package dev.knet.dataplane.nflog;

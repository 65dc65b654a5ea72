/**
 * New connections as the kernel's connection tracking announces them: ctnetlink sends an IPCTNL_MSG_CT_NEW
 * event to the NFNLGRP_CONNTRACK_NEW group when a connection is confirmed, which happens only after its first
 * packet passed every netfilter hook, so an event means the flow was let through (a dropped packet never
 * confirms its entry). The record of one connection ({@link dev.knet.dataplane.conntrack.ConntrackFlow}), a
 * pure parser of the netlink messages ({@link dev.knet.dataplane.conntrack.ConntrackParser}) and the source a
 * reader pulls them from ({@link dev.knet.dataplane.conntrack.ConntrackSource}; the kernel one is
 * {@link dev.knet.dataplane.netlink.ConntrackEvents}, which needs the package-private libc bindings).
 */
package dev.knet.dataplane.conntrack;

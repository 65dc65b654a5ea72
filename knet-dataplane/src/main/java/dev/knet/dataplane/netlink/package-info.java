/**
 * The per-pod part of the dataplane without a process per step: namespaces created with
 * unshare(2) and a bind mount, links, addresses and routes as rtnetlink requests (FFM, no native
 * library beyond libc). Every socket is opened by a thread that has entered a knet-... namespace
 * (checked by name and, once inside, against the host's namespace identity), so nothing here can
 * reach the host's own network.
 */
package dev.knet.dataplane.netlink;

/**
 * Named network namespaces ({@code /run/netns/knet-*}) and {@link dev.knet.dataplane.netns.NetnsThread},
 * which runs code inside one via setns(2) on a dedicated platform thread (a socket opened there stays
 * in that namespace).
 */
package dev.knet.dataplane.netns;

/**
 * Devices inside a namespace: veth pairs (created across namespaces in one request), bridges,
 * VXLAN devices (learning off; knet programs the FDB), addresses, and the bridge FDB.
 */
package dev.knet.dataplane.link;

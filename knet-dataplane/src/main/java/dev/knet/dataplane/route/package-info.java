/** Main-table routes and permanent neighbour entries inside a namespace. */
package dev.knet.dataplane.route;

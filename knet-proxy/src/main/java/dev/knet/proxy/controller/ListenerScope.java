package dev.knet.proxy.controller;

import java.util.concurrent.Callable;

/**
 * Where the proxy's sockets are opened: a pod runs it with a scope that enters the pod's network
 * namespace (the proxy's event loops are started inside and stay there), while the API watches
 * stay outside, where the API server is reachable.
 */
@FunctionalInterface
public interface ListenerScope {

    /** Opens the sockets in the calling thread's namespace. */
    ListenerScope CURRENT = new ListenerScope() {
        @Override
        public <T> T run(String what, Callable<T> work) throws Exception {
            return work.call();
        }
    };

    <T> T run(String what, Callable<T> work) throws Exception;
}

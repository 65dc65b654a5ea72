package dev.knet.proxy.controller;

/** The ingress controller could not start: the API server did not answer, or a port could not be bound. */
public final class IngressControllerException extends Exception {

    public IngressControllerException(String message, Throwable cause) {
        super(message, cause);
    }
}

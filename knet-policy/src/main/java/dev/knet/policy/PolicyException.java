package dev.knet.policy;

/** A policy object that cannot be understood, or a question about objects that do not exist. */
public class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}

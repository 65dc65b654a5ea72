package dev.knet.dataplane.link;

/** Whether a link is created administratively up or down. */
public enum AdminState { UP, DOWN }

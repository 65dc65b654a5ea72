package dev.knet.store;

/**
 * Who owns the objects passed to a commit afterwards. COPY (the default) lets the caller keep using
 * them; TRANSFER gives them to the store, which then skips its defensive copy - for controllers
 * that build fresh objects for every write and never touch them again.
 */
public enum Handoff { COPY, TRANSFER }

package dev.knet.dns.index;

/** What happened to an object; the names match the store's and fabric8's watch event types. */
public enum ChangeType { ADDED, MODIFIED, DELETED }

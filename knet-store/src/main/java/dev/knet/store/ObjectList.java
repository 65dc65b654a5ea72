package dev.knet.store;

import java.util.List;

/** The result of a list: the items and the store's resourceVersion they are consistent with. */
public record ObjectList<T>(List<T> items, long resourceVersion) {
}

package dev.knet.dataplane;

import java.util.List;

/**
 * Several link/address/route steps in one namespace at the cost of one process
 * ({@code ip -n NS -batch -}); a process per step is what makes iproute2-driven plumbing slow.
 * Steps run in order and stop at the first failure, which is thrown; earlier steps stay applied
 * (callers undo them, as they would after single calls).
 */
public interface Batches {

    void apply(String netns, List<BatchOp> ops);
}

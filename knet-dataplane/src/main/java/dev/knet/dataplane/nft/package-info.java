/**
 * nftables plumbing, after knftables: a closed set of objects ({@link dev.knet.dataplane.nft.NftObject}),
 * a transaction whose text is exactly what {@code nft -f} reads ({@link dev.knet.dataplane.nft.NftTransaction}),
 * the {@link dev.knet.dataplane.nft.Nftables} contract with a real implementation that only ever runs inside a
 * named network namespace ({@link dev.knet.dataplane.nft.NftCommand}) and a stateful fake that commits
 * atomically and dumps sorted text ({@link dev.knet.dataplane.nft.FakeNftables}). Failures carry a kind and
 * nft's own error text ({@link dev.knet.dataplane.nft.NftException}).
 */
package dev.knet.dataplane.nft;

package dev.knet.dataplane.nft;

/** One operation of a transaction: add an object, flush its contents, or delete it. */
public sealed interface NftOp permits NftOp.Add, NftOp.Flush, NftOp.Delete {

    NftObject object();

    /** The {@code nft -f} line for this operation. */
    default String line() {
        return switch (this) {
            case Add a -> "add " + a.object().render();
            case Flush f -> "flush " + f.object().ref();
            case Delete d -> "delete " + d.object().ref();
        };
    }

    record Add(NftObject object) implements NftOp {
    }

    record Flush(NftObject.Flushable object) implements NftOp {
    }

    record Delete(NftObject.Deletable object) implements NftOp {
    }
}

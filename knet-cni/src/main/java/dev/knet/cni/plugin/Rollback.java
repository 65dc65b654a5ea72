package dev.knet.cni.plugin;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undo actions of a half-done ADD, run newest first. An undo that fails is recorded on the original
 * failure (suppressed) and does not stop the others: leaving less behind beats stopping early.
 */
final class Rollback {

    interface Undo {
        void run() throws Exception;
    }

    private final Deque<Undo> undos = new ArrayDeque<>();

    void push(Undo undo) {
        undos.push(undo);
    }

    void run(Throwable cause) {
        while (!undos.isEmpty()) {
            try {
                undos.pop().run();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}

package ru.portal.codes;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Keys and settings ({@code pcodes_ctx}). Configure it once ({@link #addKey}, {@link #set}), then
 * share it between threads: after its first use {@link #addKey} and {@link #set} throw
 * INVALID_ARGUMENT (to rotate keys, make a new context).
 *
 * <h2>Closing and threads</h2>
 * {@link #close()} may be called from any thread at any time, also while other threads are inside
 * a call that uses this context; it never frees the native context under them:
 * <ul>
 *   <li>every call that uses the context holds a <em>use</em> for its duration; the context is
 *       freed (key material zeroized, {@code pcodes_ctx_free}) by whichever comes last, the
 *       {@code close()} or the end of the last call in flight. {@code close()} never blocks;</li>
 *   <li>a call that starts after {@code close()} throws {@link IllegalStateException}; a call
 *       already in flight finishes normally;</li>
 *   <li>closing twice (or from two threads) is safe: only the first close counts.</li>
 * </ul>
 * A context that is never closed is freed (key material zeroized) by a {@link Cleaner} some time
 * after it becomes unreachable; that is a safety net, not a schedule: close it (try-with-resources)
 * or keep one for the life of the application.
 */
public final class Context implements AutoCloseable {
    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Frees contexts that were never closed, once unreachable. */
    private static final Cleaner CLEANER = Cleaner.create();
    /** How many native contexts the {@link Cleaner} freed (never closed): for the tests. */
    static final AtomicLong FREED_UNCLOSED = new AtomicLong();

    private final Pointer ptr;
    /** Frees the native context at most once: from {@link #release} or from the Cleaner. */
    private final Cleaner.Cleanable free;
    /** Uses: 1 for the owner (dropped by close) plus 1 per call in flight; freed at 0. */
    private final AtomicInteger uses = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The pepper callback the native context calls ({@link Pepper#setCallback}): kept reachable here. */
    private volatile PortalCodesNative.PepperFn pepper;

    /**
     * A context issuing under {@code key} (32–64 random bytes) with id {@code keyId} (0–15)
     * ({@code pcodes_ctx_new}).
     *
     * @throws PortalCodesException BAD_KEY
     */
    public Context(byte[] key, int keyId) {
        PointerByReference out = new PointerByReference();
        PortalCodesException.check(N.pcodes_ctx_new(key, new PortalCodesNative.SizeT(key.length), keyId, out));
        this.ptr = out.getValue();
        this.free = CLEANER.register(this, new Free(ptr, uses));
    }

    /**
     * The native free, shared by {@link #release} and the Cleaner; {@link Cleaner.Cleanable#clean}
     * runs it at most once. It holds no reference to the {@code Context} (or the Cleaner would
     * never see it unreachable).
     */
    private static final class Free implements Runnable {
        private final Pointer ptr;
        private final AtomicInteger uses;

        Free(Pointer ptr, AtomicInteger uses) {
            this.ptr = ptr;
            this.uses = uses;
        }

        @Override
        public void run() {
            if (uses.get() != 0) {
                FREED_UNCLOSED.incrementAndGet(); // run by the Cleaner: the owner's use was never dropped
            }
            N.pcodes_ctx_free(ptr);
        }
    }

    /**
     * Adds a verify-only key (rotation); only before first use ({@code pcodes_ctx_add_key}).
     *
     * @throws PortalCodesException BAD_KEY, INVALID_ARGUMENT (id taken, or the context was used)
     */
    public Context addKey(byte[] key, int keyId) {
        check(p -> N.pcodes_ctx_add_key(p, key, new PortalCodesNative.SizeT(key.length), keyId));
        return this;
    }

    /**
     * Changes a setting; only before first use ({@code pcodes_ctx_set}).
     *
     * @throws PortalCodesException INVALID_ARGUMENT when out of {@link Setting#min()} ..
     *     {@link Setting#max()} or after first use
     */
    public Context set(Setting setting, long value) {
        check(p -> N.pcodes_ctx_set(p, setting.id(), value));
        return this;
    }

    /** Keeps {@code fn} reachable for as long as this context (JNA must not collect a live callback). */
    void keepPepper(PortalCodesNative.PepperFn fn) {
        pepper = fn;
    }

    /** Reads a setting ({@code pcodes_ctx_get}). */
    public long get(Setting setting) {
        LongByReference v = new LongByReference();
        check(p -> N.pcodes_ctx_get(p, setting.id(), v));
        return v.getValue();
    }

    /**
     * Runs {@code call} with the native handle held (see "Closing and threads") and maps its
     * status: OK returns, anything else throws {@link PortalCodesException} (with the detail read
     * on this thread, right after the call).
     *
     * @throws IllegalStateException if the context is closed
     */
    void check(ToIntFunction<Pointer> call) {
        acquire();
        try {
            PortalCodesException.check(call.applyAsInt(ptr));
        } finally {
            release();
            Reference.reachabilityFence(this); // no Cleaner run while the native call is in flight
        }
    }

    /** Like {@link #check} but returns the raw status instead of throwing. */
    int status(ToIntFunction<Pointer> call) {
        acquire();
        try {
            return call.applyAsInt(ptr);
        } finally {
            release();
            Reference.reachabilityFence(this); // no Cleaner run while the native call is in flight
        }
    }

    private void acquire() {
        while (true) {
            int n = uses.get();
            if (n == 0 || closed.get()) {
                throw new IllegalStateException("context is closed");
            }
            if (uses.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    private void release() {
        if (uses.decrementAndGet() == 0) {
            free.clean(); // pcodes_ctx_free, once; the Cleaner then has nothing left to do
        }
    }

    /**
     * Frees the context ({@code pcodes_ctx_free}) now, or when the last call in flight on another
     * thread returns; safe to call twice. Later uses throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }
}

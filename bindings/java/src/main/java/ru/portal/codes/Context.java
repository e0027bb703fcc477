package ru.portal.codes;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import static ru.portal.codes.PortalCodesException.check;

/**
 * Keys and settings ({@code pcodes_ctx}). Configure it once, then share it between threads: after
 * its first use {@link #addKey} and {@link #set} throw INVALID_ARGUMENT (to rotate keys, make a
 * new context).
 * {@link #close()} frees it (key material is zeroized); closing twice is safe, using it after
 * close throws {@link IllegalStateException}.
 */
public final class Context implements AutoCloseable {
    private Pointer ptr;

    /**
     * A context issuing under {@code key} (32–64 random bytes) with id {@code keyId} (0–15).
     *
     * @throws PortalCodesException BAD_KEY
     */
    public Context(byte[] key, int keyId) {
        PointerByReference out = new PointerByReference();
        check(PortalCodesNative.INSTANCE.pcodes_ctx_new(key, new PortalCodesNative.SizeT(key.length), keyId, out));
        this.ptr = out.getValue();
    }

    /**
     * Adds a verify-only key (rotation); only before first use.
     *
     * @throws PortalCodesException BAD_KEY, INVALID_ARGUMENT (id taken, or the context was used)
     */
    public Context addKey(byte[] key, int keyId) {
        check(PortalCodesNative.INSTANCE.pcodes_ctx_add_key(ptr(), key, new PortalCodesNative.SizeT(key.length), keyId));
        return this;
    }

    /** Changes a setting; only before first use. @throws PortalCodesException INVALID_ARGUMENT when out of range or after use */
    public Context set(Setting setting, long value) {
        check(PortalCodesNative.INSTANCE.pcodes_ctx_set(ptr(), setting.id(), value));
        return this;
    }

    /** Reads a setting. */
    public long get(Setting setting) {
        LongByReference v = new LongByReference();
        check(PortalCodesNative.INSTANCE.pcodes_ctx_get(ptr(), setting.id(), v));
        return v.getValue();
    }

    /** The native handle, for the other wrappers. */
    synchronized Pointer ptr() {
        if (ptr == null) {
            throw new IllegalStateException("context is closed");
        }
        return ptr;
    }

    @Override
    public synchronized void close() {
        if (ptr != null) {
            PortalCodesNative.INSTANCE.pcodes_ctx_free(ptr);
            ptr = null;
        }
    }
}

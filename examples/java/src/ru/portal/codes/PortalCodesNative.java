package ru.portal.codes;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.Map;

/**
 * The C ABI of {@code include/portal_codes.h}, one method per function, same names, same
 * parameter order. Use the idiomatic wrappers ({@link PortalCodes}, {@link Context}, ...) rather
 * than this interface directly.
 *
 * <p>Type mapping: {@code int32_t}/{@code uint32_t}/{@code pcodes_status} are {@code int},
 * {@code uint64_t} is {@code long} (read as unsigned), {@code size_t} is {@link SizeT},
 * {@code const char *} inputs are {@code String} (encoded as UTF-8, NUL added by JNA), text
 * outputs are {@code byte[]} buffers, state blobs are {@code byte[PCODES_STATE_BYTES]},
 * {@code bool *} is a {@code ByteByReference}, {@code pcodes_ctx *} is a {@link Pointer}.
 */
public interface PortalCodesNative extends Library {
    /** The loaded library ({@code libportal_codes.so}, found through {@code jna.library.path}). */
    PortalCodesNative INSTANCE = Native.load("portal_codes", PortalCodesNative.class,
            Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));

    /** C {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    // ---- status, version, clock ----
    String pcodes_status_name(int status);

    String pcodes_status_message(int status, String lang);

    String pcodes_version();

    long pcodes_now();

    SizeT pcodes_state_bytes();

    // ---- context ----
    int pcodes_ctx_new(byte[] key, SizeT keyLen, int keyId, PointerByReference ctxOut);

    int pcodes_ctx_add_key(Pointer ctx, byte[] key, SizeT keyLen, int keyId);

    int pcodes_ctx_set(Pointer ctx, int setting, long value);

    int pcodes_ctx_get(Pointer ctx, int setting, LongByReference valueOut);

    void pcodes_ctx_free(Pointer ctx);

    // ---- state helpers ----
    int pcodes_state_retry_at(byte[] state, SizeT stateLen, long now, LongByReference retryAtOut);

    int pcodes_state_reset(byte[] state, SizeT stateLen);

    // ---- pin ----
    SizeT pcodes_pin_hash_bytes();

    int pcodes_pin_check(Pointer ctx, String pin, String confirm, String birthDate);

    int pcodes_pin_check_reason(Pointer ctx, String pin, String confirm, String birthDate,
            IntByReference reasonOut);

    String pcodes_pin_weakness_name(int reason);

    int pcodes_pin_hash(Pointer ctx, String accountId, String pin, byte[] out, SizeT outLen);

    int pcodes_pin_verify(Pointer ctx, String accountId, String pin, String stored, long now,
            byte[] state, SizeT stateLen);

    int pcodes_pin_verify_begin(Pointer ctx, String accountId, String pin, String stored, long now,
            byte[] state, SizeT stateLen);

    int pcodes_pin_verify_finish(Pointer ctx, String accountId, String pin, String stored, long now,
            byte[] state, SizeT stateLen);

    int pcodes_pin_needs_rehash(Pointer ctx, String stored, ByteByReference needsOut);
}

package ru.portal.codes;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
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
    /**
     * The loaded library. JNA looks for {@code libportal_codes.so} in {@code jna.library.path},
     * then the system's library folders, then on the class path under its platform folder
     * ({@code linux-x86-64/} or {@code linux-aarch64/}), where this jar carries it: nothing needs
     * to be set.
     */
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

    int pcodes_status_class(int status);

    String pcodes_last_error_detail();

    String pcodes_version();

    long pcodes_now();

    SizeT pcodes_state_bytes();

    // ---- context ----
    int pcodes_ctx_new(byte[] key, SizeT keyLen, int keyId, PointerByReference ctxOut);

    int pcodes_ctx_add_key(Pointer ctx, byte[] key, SizeT keyLen, int keyId);

    int pcodes_ctx_set(Pointer ctx, int setting, long value);

    int pcodes_ctx_get(Pointer ctx, int setting, LongByReference valueOut);

    int pcodes_setting_info(int setting, LongByReference defaultOut, LongByReference minOut,
            LongByReference maxOut);

    String pcodes_setting_name(int setting);

    void pcodes_ctx_free(Pointer ctx);

    // ---- state helpers ----
    int pcodes_state_retry_at(byte[] state, SizeT stateLen, long now, LongByReference retryAtOut);

    int pcodes_state_reset(byte[] state, SizeT stateLen);

    int pcodes_state_revoke(byte[] state, SizeT stateLen, int what);

    /** C {@code pcodes_events}. */
    @Structure.FieldOrder({"flags", "failures_left", "locked_until", "recovery_left", "reserved", "trusted_at"})
    class pcodes_events extends Structure {
        public int flags;
        public int failures_left;
        public long locked_until;
        public int recovery_left;
        public int reserved;
        public long trusted_at;
    }

    int pcodes_state_events(Pointer ctx, byte[] oldState, SizeT oldStateLen, byte[] newState, SizeT newStateLen,
            long now, pcodes_events eventsOut);

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

    int pcodes_pin_verify_compute(Pointer ctx, String accountId, String pin, String stored,
            ByteByReference matchOut);

    int pcodes_pin_verify_apply(byte matched, long now, byte[] state, SizeT stateLen);

    int pcodes_pin_needs_rehash(Pointer ctx, String stored, ByteByReference needsOut);

    SizeT pcodes_pin_generate_bytes();

    int pcodes_pin_generate(Pointer ctx, int length, String birthDate, byte[] out, SizeT outLen);

    // ---- recovery ----
    SizeT pcodes_recovery_code_bytes();

    SizeT pcodes_recovery_stored_bytes();

    int pcodes_recovery_generate(Pointer ctx, String accountId, int count, byte[] state, SizeT stateLen,
            byte[] codesOut, SizeT codesOutLen, byte[] storedOut, SizeT storedOutLen);

    int pcodes_recovery_verify(Pointer ctx, String accountId, String stored, String code, long now,
            byte[] state, SizeT stateLen, IntByReference remainingOut);

    int pcodes_recovery_remaining(byte[] state, SizeT stateLen, IntByReference remainingOut);

    // ---- device trust ----
    SizeT pcodes_device_token_bytes();

    int pcodes_device_issue(Pointer ctx, String accountId, long now, byte[] state, SizeT stateLen,
            byte[] tokenOut, SizeT tokenOutLen);

    int pcodes_device_check(Pointer ctx, String accountId, String token, long now, byte[] state, SizeT stateLen);

    int pcodes_device_revoke_all(byte[] state, SizeT stateLen);

    int pcodes_device_pin_verify(Pointer ctx, String accountId, String pin, String stored, String token,
            long now, byte[] state, SizeT stateLen);

    int pcodes_device_otp_verify(Pointer ctx, String accountId, String purpose, String code, String token,
            long now, byte[] otpState, SizeT otpStateLen, byte[] deviceState, SizeT deviceStateLen);

    int pcodes_device_otp_issue(Pointer ctx, String accountId, String purpose, String token, long now,
            byte[] otpState, SizeT otpStateLen, byte[] deviceState, SizeT deviceStateLen, byte[] codeOut,
            SizeT codeOutLen);

    int pcodes_device_totp_verify(Pointer ctx, String accountId, byte[] secret, SizeT secretLen, int algorithm,
            int digits, int period, String code, String token, long now, byte[] totpState, SizeT totpStateLen,
            byte[] deviceState, SizeT deviceStateLen, IntByReference driftOut);

    int pcodes_device_hotp_verify(Pointer ctx, String accountId, byte[] secret, SizeT secretLen, int algorithm,
            int digits, String code, String token, long now, byte[] hotpState, SizeT hotpStateLen,
            byte[] deviceState, SizeT deviceStateLen, LongByReference counterOut);

    // ---- otp ----
    SizeT pcodes_otp_code_bytes();

    int pcodes_otp_issue(Pointer ctx, String purpose, long now, byte[] state, SizeT stateLen,
            byte[] codeOut, SizeT codeOutLen);

    int pcodes_otp_verify(Pointer ctx, String purpose, String code, long now, byte[] state, SizeT stateLen);
    // ---- totp ----
    /** C {@code size_t *} out-parameter. */
    final class SizeTByReference extends com.sun.jna.ptr.ByReference {
        public SizeTByReference() {
            super(Native.SIZE_T_SIZE);
        }

        public long getValue() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xFFFFFFFFL;
        }
    }

    /** C {@code pcodes_totp_enrolment}. */
    @com.sun.jna.Structure.FieldOrder({"is_hotp", "algorithm", "digits", "period", "counter", "secret_len",
            "secret", "issuer", "account"})
    class TotpEnrolment extends com.sun.jna.Structure {
        public int is_hotp;
        public int algorithm;
        public int digits;
        public int period;
        public long counter;
        public SizeT secret_len;
        public byte[] secret = new byte[64];
        public byte[] issuer = new byte[65];
        public byte[] account = new byte[129];
    }

    SizeT pcodes_totp_code_bytes();

    SizeT pcodes_hotp_code_bytes();

    SizeT pcodes_totp_uri_bytes();

    SizeT pcodes_totp_qr_svg_bytes();

    SizeT pcodes_totp_secret_bytes();

    SizeT pcodes_totp_secret_max_bytes();

    int pcodes_totp_secret(Pointer ctx, byte[] secretOut, SizeT secretLen);

    int pcodes_totp_uri(byte[] secret, SizeT secretLen, String issuer, String account, int algorithm, int digits,
            int period, byte[] out, SizeT outLen);

    int pcodes_totp_uri_parse(String uri, TotpEnrolment enrolmentOut);

    int pcodes_totp_qr_svg(String text, byte[] out, SizeT outLen);

    int pcodes_totp_code(byte[] secret, SizeT secretLen, int algorithm, int digits, int period, long now,
            byte[] out, SizeT outLen);

    int pcodes_totp_verify(Pointer ctx, byte[] secret, SizeT secretLen, int algorithm, int digits, int period,
            String code, long now, byte[] state, SizeT stateLen, com.sun.jna.ptr.IntByReference driftOut);

    int pcodes_hotp_code(byte[] secret, SizeT secretLen, int algorithm, int digits, long counter, byte[] out,
            SizeT outLen);

    int pcodes_hotp_verify(Pointer ctx, byte[] secret, SizeT secretLen, int algorithm, int digits, String code,
            long now, byte[] state, SizeT stateLen);

    int pcodes_hotp_verify_counter(Pointer ctx, byte[] secret, SizeT secretLen, int algorithm, int digits,
            String code, long now, byte[] state, SizeT stateLen, com.sun.jna.ptr.LongByReference counterOut);

    int pcodes_base32_encode(byte[] data, SizeT len, byte[] out, SizeT outLen);

    int pcodes_base32_decode(String text, byte[] out, SizeT outLen, SizeTByReference writtenOut);

    // ---- external pepper ----
    /** C {@code pcodes_pepper_fn}: HMAC-SHA256 under pepper key {@code keyId} into 32 bytes at {@code macOut}; 0 = done. */
    interface PepperFn extends com.sun.jna.Callback {
        int invoke(Pointer user, int keyId, Pointer message, SizeT messageLen, Pointer macOut);
    }

    SizeT pcodes_pepper_mac_bytes();

    int pcodes_pepper_set_callback(Pointer ctx, PepperFn callback, Pointer user, int keyIds);
    // ---- link ----
    /** C {@code pcodes_child}: four UTF-8 strings; NULL (null) or blank means missing. */
    @Structure.FieldOrder({"full_name", "birth_date", "sex", "snils"})
    class pcodes_child extends Structure {
        public String full_name;
        public String birth_date;
        public String sex;
        public String snils;

        public pcodes_child() {
            setStringEncoding("UTF-8");
        }
    }

    SizeT pcodes_link_code_bytes();

    int pcodes_child_check(pcodes_child child, IntByReference missingOut);

    int pcodes_link_issue(Pointer ctx, long recordId, pcodes_child child, long now, byte[] state, SizeT stateLen,
            byte[] codeOut, SizeT codeOutLen);

    int pcodes_link_parse(String code, LongByReference recordIdOut);

    int pcodes_link_redeem(Pointer ctx, String code, pcodes_child child, long now, byte[] state, SizeT stateLen);
}

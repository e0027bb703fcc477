package ru.portal.codes;

import com.sun.jna.Pointer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The PIN pepper outside the process ({@code pcodes_pepper_*}): the keyed step of PIN hashing run
 * by the host's HSM (PKCS#11 {@code C_Sign} with {@code CKM_SHA256_HMAC}), cloud KMS or certified
 * provider. See {@code docs/pin.md}, "The pepper in an HSM or KMS".
 */
public final class Pepper {
    private Pepper() {
    }

    private static final PortalCodesNative N = PortalCodesNative.INSTANCE;

    /** Length of the MAC a {@link Device} returns ({@code PCODES_PEPPER_MAC_BYTES}, 32). */
    public static final int MAC_BYTES = N.pcodes_pepper_mac_bytes().intValue();

    /**
     * The host's device: HMAC-SHA256 of {@code message} under its pepper key {@code keyId} (0–15,
     * the {@code k} of the hash string). Called from every thread that uses the context,
     * <b>concurrently</b>; once per {@link Pin#hash} and per PIN verification (unknown accounts
     * too). {@code message} holds no PIN. Return exactly {@link #MAC_BYTES} bytes; throw (anything)
     * or return another length for a failure: the PIN call then throws PEPPER_FAILED, no verdict,
     * nothing counted.
     */
    @FunctionalInterface
    public interface Device {
        byte[] mac(int keyId, byte[] message) throws Exception;
    }

    /** The JNA callback around a {@link Device}: never lets an exception reach C. */
    private static final class Callback implements PortalCodesNative.PepperFn {
        private final Device device;

        Callback(Device device) {
            this.device = device;
        }

        @Override
        public int invoke(Pointer user, int keyId, Pointer message, PortalCodesNative.SizeT messageLen, Pointer macOut) {
            byte[] msg = null;
            try {
                msg = message.getByteArray(0, Math.toIntExact(messageLen.longValue()));
                byte[] mac = device.mac(keyId, msg);
                if (mac == null || mac.length != MAC_BYTES) {
                    return 1;
                }
                macOut.write(0, mac, 0, MAC_BYTES);
                return 0;
            } catch (Throwable t) {
                return 1;
            } finally {
                if (msg != null) {
                    Arrays.fill(msg, (byte) 0);
                }
            }
        }
    }

    /**
     * Hands the keyed step of PIN hashing for {@code keyIds} to {@code device}
     * ({@code pcodes_pepper_set_callback}); other key ids keep the in-memory pepper. Include the
     * context's current key id to make new hashes on the device. Only before the context's first
     * use.
     *
     * @throws PortalCodesException INVALID_ARGUMENT (no key id; the context was used), BAD_KEY (an id
     *     outside 0–15)
     */
    public static void setCallback(Context ctx, Device device, int... keyIds) {
        Objects.requireNonNull(device, "device");
        int mask = 0;
        for (int id : keyIds) {
            mask |= id >= 0 && id <= 15 ? 1 << id : 1 << 16; // out of range: BAD_KEY from the library
        }
        Callback fn = new Callback(device);
        int bits = mask;
        ctx.check(p -> N.pcodes_pepper_set_callback(p, fn, Pointer.NULL, bits));
        ctx.keepPepper(fn);
    }
}

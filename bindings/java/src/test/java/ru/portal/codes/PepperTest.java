package ru.portal.codes;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.expectStatus;
import static ru.portal.codes.Fixtures.key;

/**
 * The external pepper: a device computing HMAC-SHA256 in Java ({@code javax.crypto.Mac}) with the
 * in-memory pepper's key material (derived as {@code docs/pin.md} says) gives the same hashes as
 * the in-memory path (each verifies the other's); a failing device is PEPPER_FAILED, uncounted.
 */
class PepperTest {
    private static final long NOW = 1_750_000_000L;

    static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    /** The in-memory pepper of master key {@code master} with id {@code id}. */
    static byte[] derived(byte[] master, int id) throws Exception {
        return hmac(master, "portal-codes/v1/pin-pepper".getBytes(StandardCharsets.US_ASCII), new byte[] {0, (byte) id});
    }

    static Context ctx(int keyId) {
        Context c = new Context(key(0x42), keyId);
        c.set(Setting.PIN_ITERATIONS, 10_000);
        return c;
    }

    @Test
    void aJavaHmacDeviceGivesTheInMemoryHashes() throws Exception {
        byte[] pepper = derived(key(0x42), 3);
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean sawPin = new AtomicBoolean();
        try (Context memory = ctx(3); Context device = ctx(3)) {
            Pepper.setCallback(device, (k, message) -> {
                calls.incrementAndGet();
                if (new String(message, StandardCharsets.ISO_8859_1).contains("385027")) {
                    sawPin.set(true);
                }
                assertEquals(3, k);
                return hmac(pepper, message);
            }, 3);
            String a = Pin.hash(memory, "account-1001", "385027");
            String b = Pin.hash(device, "account-1001", "385027");
            assertEquals(1, calls.get());
            assertEquals(Pepper.MAC_BYTES, 32);
            Pin.verify(device, "account-1001", "385027", a, NOW, State.create());
            Pin.verify(memory, "account-1001", "385027", b, NOW, State.create());
            byte[] st = State.create();
            expectStatus(Status.WRONG, () -> Pin.verify(device, "account-1001", "385028", a, NOW, st));
            byte[] unknown = State.create();
            expectStatus(Status.WRONG, () -> Pin.verify(device, "nobody", "385027", null, NOW, unknown));
            assertArrayEquals(st, unknown, "an unknown account's blob is a real one's");
            assertEquals(4, calls.get(), "one device call per hash and per verification");
            assertTrue(!sawPin.get(), "the PIN never reaches the device");
            // Configured once: the context is in use now.
            expectStatus(Status.INVALID_ARGUMENT, () -> Pepper.setCallback(device, (k, m) -> new byte[32], 3));
        }
    }

    @Test
    void aFailingDeviceIsPepperFailedAndUncounted() {
        AtomicBoolean fail = new AtomicBoolean();
        try (Context memory = ctx(3); Context device = ctx(3)) {
            expectStatus(Status.INVALID_ARGUMENT, () -> Pepper.setCallback(device, (k, m) -> new byte[32]));
            expectStatus(Status.BAD_KEY, () -> Pepper.setCallback(device, (k, m) -> new byte[32], 16));
            Pepper.setCallback(device, (k, message) -> {
                if (fail.get()) {
                    throw new IllegalStateException("HSM unreachable");
                }
                return hmac(derived(key(0x42), k), message);
            }, 3);
            String h = Pin.hash(memory, "account-1001", "385027");
            fail.set(true);
            byte[] st = State.create();
            expectStatus(Status.PEPPER_FAILED, () -> Pin.verify(device, "account-1001", "385027", h, NOW, st));
            expectStatus(Status.PEPPER_FAILED, () -> Pin.verify(device, "account-1001", "000000", h, NOW, st));
            expectStatus(Status.PEPPER_FAILED, () -> Pin.verify(device, "nobody", "000000", null, NOW, st));
            expectStatus(Status.PEPPER_FAILED, () -> Pin.hash(device, "account-1001", "385027"));
            assertArrayEquals(State.create(), st, "nothing counted");
            fail.set(false);
            Pin.verify(device, "account-1001", "385027", h, NOW, st);
        }
        // A device answering the wrong length is a failure too, never a MAC.
        try (Context c = ctx(3)) {
            Pepper.setCallback(c, (k, m) -> new byte[31], 3);
            expectStatus(Status.PEPPER_FAILED, () -> Pin.hash(c, "account-1001", "385027"));
        }
    }
}

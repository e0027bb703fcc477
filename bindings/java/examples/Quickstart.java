import ru.portal.codes.Context;
import ru.portal.codes.Otp;
import ru.portal.codes.Pepper;
import ru.portal.codes.Pin;
import ru.portal.codes.PortalCodes;
import ru.portal.codes.PortalCodesException;
import ru.portal.codes.RetryAt;
import ru.portal.codes.State;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The binding in a few lines: an SMS code issued, mistyped, then accepted; a PIN the portal
 * generates ("Get PIN"); the PIN pepper in an HSM. Runs against the jar and JNA alone (the native library is inside the
 * jar), in a folder holding the jar and this file:
 *
 * <pre>
 * javac -cp portal-codes-0.1.0.jar:/usr/share/java/jna.jar -d classes Quickstart.java
 * java -cp portal-codes-0.1.0.jar:/usr/share/java/jna.jar:classes Quickstart
 * </pre>
 *
 * (bindings/java/README.md, "Without Maven"; tests/java.rs runs those commands from there.)
 */
public final class Quickstart {
    /** HMAC-SHA256, the "HSM" below (in production: PKCS#11 C_Sign, or a KMS's HMAC call). */
    static byte[] hmac(byte[] key, byte[]... parts) throws GeneralSecurityException {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    public static void main(String[] args) throws GeneralSecurityException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key); // in production: from your secret store
        try (Context ctx = new Context(key, 1)) {
            byte[] state = State.create();   // stored per confirmation, with compare-and-swap
            long now = PortalCodes.now();
            String code = Otp.issue(ctx, "login", now, state);
            System.out.println("portal-codes " + PortalCodes.version() + ": sent " + code.length() + " digits");
            // When the person may ask for another code. Blocked has no time: check it first.
            RetryAt next = State.retryAt(state, now);
            System.out.println("next send -> " + (next.isBlocked() ? "blocked until State.reset"
                    : next.allowsAt(now) ? "now" : "in " + (next.epochSecond() - now) + " s"));
            try {
                Otp.verify(ctx, "login", code.substring(1), now + 10, state);
            } catch (PortalCodesException e) {
                System.out.println("typo -> " + e.statusName() + " (" + e.userMessage("en") + ")");
            }
            // The host's row, written with compare-and-swap (here an AtomicReference; in a portal
            // UPDATE ... SET state = new WHERE id = ? AND state = old). A verdict counts only once
            // its blob is stored: on a lost write, re-read and call again, whatever the answer was.
            AtomicReference<byte[]> row = new AtomicReference<>(state);
            String verdict;
            while (true) {
                byte[] old = row.get();
                byte[] blob = old.clone();
                String answer;
                try {
                    Otp.verify(ctx, "login", code, now + 20, blob);
                    answer = "accepted";
                } catch (PortalCodesException e) {
                    answer = e.statusName();
                }
                if (row.compareAndSet(old, blob)) { // stored: now the answer counts
                    verdict = answer;
                    break;
                }
            }
            System.out.println("right code -> " + verdict + " (blob stored with compare-and-swap)");
            // "Get PIN" (after the SMS confirmation above): a PIN the policy accepts for this holder,
            // shown once; only its hash is stored.
            String pin = Pin.generate(ctx, 6, "1987-05-25");
            String stored = Pin.hash(ctx, "account-1001", pin);
            Pin.check(ctx, pin, pin, "1987-05-25"); // always passes: generated from the accepted PINs
            System.out.println("generated PIN: " + pin.length() + " digits, hash " + stored.substring(0, 12) + "...");
            // The pepper in an HSM: the keyed step of PIN hashing runs in the host's device, which
            // never sees the PIN. This one holds the pepper imported from master key 1
            // (docs/pin.md): what it computes equals the in-memory pepper, so each verifies the other.
            byte[] imported = hmac(key, "portal-codes/v1/pin-pepper\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
            try (Context withHsm = new Context(key, 1)) {
                Pepper.setCallback(withHsm, (keyId, message) -> hmac(imported, message), 1);
                String viaHsm = Pin.hash(withHsm, "account-1001", pin);
                byte[] pinState = State.create(); // verdict final once stored with compare-and-swap
                Pin.verify(ctx, "account-1001", pin, viaHsm, now, pinState);
                Pin.verify(withHsm, "account-1001", pin, stored, now, pinState);
                System.out.println("PIN hashed through the HSM verified in memory, and the other way round");
            }
            try {
                Otp.issue(ctx, "login", 0, row.get()); // a developer's mistake: an unset clock
            } catch (PortalCodesException e) {
                // For the log: which argument and why; the person sees only userMessage().
                System.out.println("bug -> " + e.statusName() + ", detail: " + e.detail());
            }
        }
    }
}

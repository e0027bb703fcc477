import ru.portal.codes.Context;
import ru.portal.codes.Otp;
import ru.portal.codes.PortalCodes;
import ru.portal.codes.PortalCodesException;
import ru.portal.codes.RetryAt;
import ru.portal.codes.State;

import java.security.SecureRandom;

/**
 * The binding in a few lines: an SMS code issued, mistyped, then accepted. Runs against the jar
 * alone (the native library is inside it):
 *
 * <pre>
 * java -cp target/portal-codes-0.1.0.jar:/usr/share/java/jna.jar examples/Quickstart.java
 * </pre>
 */
public final class Quickstart {
    public static void main(String[] args) {
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
            Otp.verify(ctx, "login", code, now + 20, state);
            System.out.println("right code -> accepted");
            try {
                Otp.issue(ctx, "login", 0, state); // a developer's mistake: an unset clock
            } catch (PortalCodesException e) {
                // For the log: which argument and why; the person sees only userMessage().
                System.out.println("bug -> " + e.statusName() + ", detail: " + e.detail());
            }
        }
    }
}

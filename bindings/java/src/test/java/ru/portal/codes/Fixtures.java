package ru.portal.codes;

import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Helpers shared by the tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A 32-byte key filled with {@code fill}. */
    static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    /** A key of {@code length} bytes, byte i = i * mul + add. */
    static byte[] key(int length, int mul, int add) {
        byte[] k = new byte[length];
        for (int i = 0; i < length; i++) {
            k[i] = (byte) (i * mul + add);
        }
        return k;
    }

    /** Runs {@code call}, expects a {@link PortalCodesException} with {@code want}, returns it. */
    static PortalCodesException expectStatus(Status want, Executable call) {
        PortalCodesException e = assertThrows(PortalCodesException.class, call);
        assertEquals(want, e.status(), () -> "got " + e.getMessage());
        return e;
    }

    /** What {@code call} ends with: OK, or the status it threw. */
    static Status outcome(Executable call) {
        try {
            call.execute();
            return Status.OK;
        } catch (PortalCodesException e) {
            return e.status();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}

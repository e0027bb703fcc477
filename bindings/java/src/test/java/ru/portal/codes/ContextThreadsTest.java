package ru.portal.codes;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ru.portal.codes.Fixtures.key;

/**
 * {@link Context#close()} while other threads are inside native calls on it: every call that
 * started before the close finishes with the right answer (the context is not freed under it:
 * a freed, zeroized context would answer UNKNOWN_KEY, a wrong verdict, or crash the JVM), every
 * call after it throws {@link IllegalStateException}, and nothing else happens.
 */
class ContextThreadsTest {
    private static final int THREADS = 6;
    private static final int ROUNDS = 25;

    @Test
    void closeWhileOtherThreadsVerify() throws Exception {
        byte[] key = key(0x5A);
        String stored;
        try (Context setup = new Context(key, 3)) {
            setup.set(Setting.PIN_ITERATIONS, 10_000);
            stored = Pin.hash(setup, "account-7", "385027");
        }
        byte[] secret = key(20, 13, 7);
        int total = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Context ctx = new Context(key, 3);
            ctx.set(Setting.PIN_ITERATIONS, 10_000);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int id = t;
                Thread th = new Thread(() -> {
                    started.countDown();
                    long now = 1_700_000_000L + id;
                    try {
                        while (true) {
                            // PBKDF2 (slow: likely in flight at the close) and a TOTP check.
                            if (!Pin.verifyCompute(ctx, "account-7", "385027", stored)) {
                                throw new AssertionError("the right PIN did not match");
                            }
                            byte[] state = State.create();
                            String code = Totp.code(secret, Algorithm.SHA1, 6, 30, now);
                            Totp.verify(ctx, secret, Algorithm.SHA1, 6, 30, code, now, state);
                            ok.incrementAndGet();
                        }
                    } catch (IllegalStateException closed) {
                        refused.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                    }
                });
                threads.add(th);
                th.start();
            }
            started.await();
            Thread.sleep(round % 5 * 3L);
            ctx.close();
            ctx.close();
            for (Thread th : threads) {
                th.join(60_000);
            }
            if (unexpected.get() != null) {
                throw new AssertionError("round " + round, unexpected.get());
            }
            assertNull(unexpected.get());
            assertEquals(THREADS, refused.get(), "every thread ends on IllegalStateException");
            assertThrows(IllegalStateException.class, () -> Pin.verifyCompute(ctx, "account-7", "385027", stored));
            total += ok.get();
        }
        assertTrue(total > 0, "some calls ran before the close");
    }
}

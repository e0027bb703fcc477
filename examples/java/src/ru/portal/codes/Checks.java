package ru.portal.codes;

/** Tiny expectation helper shared by the demos: counts, reports, and sets the exit code. */
final class Checks {
    private int passed;
    private int failed;

    void expect(boolean cond, String what) {
        if (cond) {
            passed++;
        } else {
            failed++;
            System.err.println("FAILED: " + what);
        }
    }

    /** Runs {@code r} and expects it to throw a {@link PortalCodesException} with {@code want}. */
    Status expectStatus(Status want, Runnable r) {
        Status got = Status.OK;
        try {
            r.run();
        } catch (PortalCodesException e) {
            got = e.status();
        }
        expect(got == want, "expected " + want + ", got " + got);
        return got;
    }

    /** Prints "N passed, N failed" and exits with the number of failures. */
    void done() {
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(Math.min(failed, 100));
    }
}

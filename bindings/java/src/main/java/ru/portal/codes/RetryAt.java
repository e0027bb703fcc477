package ru.portal.codes;

/**
 * When the holder of a state blob may try again ({@link State#retryAt}): one of
 * <ul>
 *   <li>{@linkplain #isFree() free}: not waiting, may try now;</li>
 *   <li>waiting until {@link #epochSecond()} (unix seconds), also in the past for a lock that
 *       has ended by the time it is read: compare with {@link #allowsAt(long)};</li>
 *   <li>{@linkplain #isBlocked() blocked} until {@link State#reset}: no time will do, and
 *       {@link #epochSecond()} throws rather than give a number that could be compared.</li>
 * </ul>
 */
public final class RetryAt {
    private static final RetryAt FREE = new RetryAt(0);
    private static final RetryAt BLOCKED = new RetryAt(-1);

    /** 0 free, -1 ({@code UINT64_MAX}) blocked, otherwise unix seconds. */
    private final long raw;

    private RetryAt(long raw) {
        this.raw = raw;
    }

    /** The value for the C answer of {@code pcodes_state_retry_at}. */
    static RetryAt of(long raw) {
        return raw == 0 ? FREE : raw == -1 ? BLOCKED : new RetryAt(raw);
    }

    /** Blocked until {@link State#reset} (C: {@code UINT64_MAX}). */
    public boolean isBlocked() {
        return raw == -1;
    }

    /** Not waiting at all (C: 0). */
    public boolean isFree() {
        return raw == 0;
    }

    /**
     * The unix second from which the holder may try again; 0 when {@linkplain #isFree() free}.
     *
     * @throws IllegalStateException when {@linkplain #isBlocked() blocked}: there is no such time
     */
    public long epochSecond() {
        if (isBlocked()) {
            throw new IllegalStateException("blocked until State.reset: no retry time");
        }
        return raw;
    }

    /** Whether the holder may try at unix time {@code now}: never when blocked. */
    public boolean allowsAt(long now) {
        return !isBlocked() && Long.compareUnsigned(raw, now) <= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryAt r && r.raw == raw;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(raw);
    }

    /** {@code "free"}, {@code "blocked"} or {@code "at <unix seconds>"}. */
    @Override
    public String toString() {
        return isFree() ? "free" : isBlocked() ? "blocked" : "at " + raw;
    }
}

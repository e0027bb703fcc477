//! Tunable settings, their defaults and their allowed ranges.
//!
//! Values come from C as `(int32_t setting, uint64_t value)`, so every setting id and every value
//! is checked: an unknown setting or an out-of-range value is [`Error::InvalidArgument`] and
//! changes nothing.

use crate::error::{Error, Result};

/// Declares every setting once: its variant (with its doc), C id and name, the one-line meaning
/// of the C header and `docs/c-api.md`, `Policy` field and type, default and allowed range (and,
/// for a bitmask, the bits that may be set). From the rows come [`Setting`] (whose docs state
/// the default and range), [`Setting::ALL`], the `SPEC` table, [`Policy`] with its `Default`,
/// `get` and `store`, and compile-time checks that every default is allowed and every maximum
/// fits its field. The C layer (`src/ffi/ctx.rs`) has its literal `PCODES_SETTING_*` constants
/// generated from this table and checks itself against it; nothing here knows about it.
macro_rules! settings {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal => $c_name:ident, c: $c:literal,
        $field:ident: $ty:ty = $default:literal in $lo:literal..=$hi:literal $(, bits $mask:literal)?;
    )*) => {
        /// A setting id (`PCODES_SETTING_*` in C). The numeric values are stable.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(i32)]
        pub enum Setting {
            $(
                $(#[$doc])*
                ///
                #[doc = concat!(
                    "Default `", stringify!($default), "`, range `", stringify!($lo), "..=",
                    stringify!($hi), "`", $("; only the bits of `", stringify!($mask), "`",)? "."
                )]
                $variant = $id,
            )*
        }

        impl Setting {
            /// Every setting, in id order.
            pub const ALL: [Setting; [$($id),*].len()] = [$(Setting::$variant),*];
        }

        /// One row per setting, in id order.
        const SPEC: [Spec; Setting::ALL.len()] = [$(Spec {
            setting: Setting::$variant,
            name: concat!(stringify!($c_name), "\0"),
            c: $c,
            default: $default,
            lo: $lo,
            hi: $hi,
            mask: settings!(@mask $($mask)?),
        }),*];

        /// All settings of a context.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Policy {
            $(
                #[doc = concat!("See [`Setting::", stringify!($variant), "`].")]
                pub $field: $ty,
            )*
        }

        impl Default for Policy {
            fn default() -> Self {
                Policy { $($field: $default,)* }
            }
        }

        impl Policy {
            /// Reads one setting.
            #[must_use]
            #[allow(clippy::useless_conversion)]
            pub fn get(&self, setting: Setting) -> u64 {
                match setting {
                    $(Setting::$variant => u64::from(self.$field),)*
                }
            }

            /// Stores an already-checked value (every range fits the field's type).
            fn store(&mut self, setting: Setting, value: u64) {
                match setting {
                    $(Setting::$variant => self.$field = <$ty>::try_from(value).unwrap_or(<$ty>::MAX),)*
                }
            }
        }

        // Every default is allowed, and every maximum fits its field.
        const _: () = {
            $(assert!(SPEC[$id - 1].allows($default) && $hi <= <$ty>::MAX as u64);)*
        };
    };
    (@mask) => { u64::MAX };
    (@mask $mask:literal) => { $mask };
}

/// A setting's row: default, inclusive range, and the bits a value may have.
struct Spec {
    setting: Setting,
    /// `PCODES_SETTING_*`, NUL-terminated.
    name: &'static str,
    /// The one-line meaning of the C header and `docs/c-api.md` (generated into both).
    #[cfg_attr(not(all(test, feature = "capi")), allow(dead_code))]
    c: &'static str,
    default: u64,
    lo: u64,
    hi: u64,
    mask: u64,
}

impl Spec {
    const fn allows(&self, value: u64) -> bool {
        self.lo <= value && value <= self.hi && value & !self.mask == 0
    }
}

settings! {
    /// Link-code validity, seconds.
    LinkTtlSeconds = 1 => PCODES_SETTING_LINK_TTL_SECONDS,
        c: "link-code validity, seconds",
        link_ttl_seconds: u64 = 600 in 60..=86_400;
    /// SMS/e-mail code validity, seconds.
    OtpTtlSeconds = 2 => PCODES_SETTING_OTP_TTL_SECONDS,
        c: "SMS/e-mail code validity, seconds",
        otp_ttl_seconds: u64 = 300 in 30..=3_600;
    /// SMS/e-mail code length.
    OtpDigits = 3 => PCODES_SETTING_OTP_DIGITS,
        c: "SMS/e-mail code length",
        otp_digits: u32 = 6 in 4..=8;
    /// Wrong tries allowed per SMS/e-mail code.
    OtpMaxAttempts = 4 => PCODES_SETTING_OTP_MAX_ATTEMPTS,
        c: "wrong tries allowed per SMS/e-mail code",
        otp_max_attempts: u32 = 3 in 1..=10;
    /// Minimum seconds between two sends.
    OtpResendSeconds = 5 => PCODES_SETTING_OTP_RESEND_SECONDS,
        c: "minimum seconds between two sends",
        otp_resend_seconds: u64 = 60 in 0..=3_600;
    /// Sends allowed per rolling hour (each send time in the window is kept in the state blob).
    OtpMaxSendsPerHour = 6 => PCODES_SETTING_OTP_MAX_SENDS_PER_HOUR,
        c: "sends allowed per rolling hour",
        otp_max_sends_per_hour: u32 = 5 in 1..=10;
    /// PBKDF2 iterations for new PIN hashes, counted as single-lane PBKDF2-HMAC-SHA256
    /// iterations (the attacker's work per guess): a hash with `PIN_LANES` = L computes each of
    /// its L blocks with `⌈PIN_ITERATIONS / L⌉` iterations (`docs/pin.md`). The default is the
    /// OWASP Password Storage Cheat Sheet's for PBKDF2-HMAC-SHA256 (2023).
    PinIterations = 7 => PCODES_SETTING_PIN_ITERATIONS,
        c: "PBKDF2 iterations for new PIN hashes (single-lane: each of the `PIN_LANES` blocks runs ⌈value / lanes⌉)",
        pin_iterations: u32 = 600_000 in 10_000..=10_000_000;
    /// Allowed PIN lengths, bit n = length n: 4, 6 or both ([`PIN_LENGTHS_DEFAULT`]).
    PinLengths = 8 => PCODES_SETTING_PIN_LENGTHS,
        c: "allowed PIN lengths, bit n = length n (4, 6, or both)",
        pin_lengths: u32 = 0x50 in 0x10..=0x50, bits 0x50;
    /// Consecutive failures that lock (at most [`GUESSES_PER_RUN`]: a larger value would never
    /// lock before the block).
    LockAfterFailures = 9 => PCODES_SETTING_LOCK_AFTER_FAILURES,
        c: "consecutive failures that lock",
        lock_after_failures: u32 = 5 in 1..=20;
    /// First lock, seconds (the maximum is a week).
    LockFirstSeconds = 10 => PCODES_SETTING_LOCK_FIRST_SECONDS,
        c: "first lock, seconds",
        lock_first_seconds: u64 = 900 in 1..=604_800;
    /// Every later lock, seconds.
    LockRepeatSeconds = 11 => PCODES_SETTING_LOCK_REPEAT_SECONDS,
        c: "every later lock, seconds",
        lock_repeat_seconds: u64 = 1_800 in 1..=604_800;
    /// Consecutive failures that block until reset: the number of guesses a run of failures
    /// gets (at most [`GUESSES_PER_RUN`]).
    BlockAfterFailures = 12 => PCODES_SETTING_BLOCK_AFTER_FAILURES,
        c: "consecutive failures that block until `pcodes_state_reset`",
        block_after_failures: u32 = 15 in 1..=20;
    /// TOTP steps accepted either side of the current one.
    TotpWindowSteps = 13 => PCODES_SETTING_TOTP_WINDOW_STEPS,
        c: "TOTP steps accepted either side of the current one",
        totp_window_steps: u32 = 1 in 0..=10;
    /// HOTP counters looked ahead (a guess matches any of `1 + HOTP_LOOK_AHEAD` codes, at most
    /// [`CODES_PER_GUESS`], as many as the widest TOTP window).
    HotpLookAhead = 14 => PCODES_SETTING_HOTP_LOOK_AHEAD,
        c: "HOTP counters looked ahead",
        hotp_look_ahead: u32 = 10 in 0..=20;
    /// PBKDF2 blocks (lanes) of new PIN hashes (`v=2`, `l=`): `dkLen = lanes × 32`, computed
    /// interleaved on SHA-NI for about the time of one, all of them under the pepper's HMAC; the
    /// attacker's work stays `PIN_ITERATIONS` (each lane runs `⌈PIN_ITERATIONS / lanes⌉`).
    /// Chosen by measurement (`benches/issue-23-lanes.md`).
    PinLanes = 15 => PCODES_SETTING_PIN_LANES,
        c: "PBKDF2 blocks (lanes) of new PIN hashes, computed together; the attacker's work stays `PIN_ITERATIONS`",
        pin_lanes: u32 = 3 in 1..=4;
    /// Seconds after which a run of failures with no new failure no longer counts (issue 22
    /// §2): the next failure starts a new run. 0 = never; at most a year. A block never fades
    /// (only `state::reset` clears it); the budget ([`Setting::BudgetGuesses`]) is not affected.
    FailureResetSeconds = 16 => PCODES_SETTING_FAILURE_RESET_SECONDS,
        c: "seconds after which a run of failures fades (0 = never)",
        failure_reset_seconds: u64 = 86_400 in 0..=31_536_000;
    /// Capacity of the long-horizon guess budget that a success does not renew: counted
    /// failures beyond it are refused (`LOCKED`) until one has drained. With
    /// [`Setting::BudgetDrainSeconds`] it keeps at most [`GUESSES_PER_YEAR`] counted failures in
    /// any 365 days; at least 2, so that an owner whose failures are one drain period apart is
    /// never refused.
    BudgetGuesses = 17 => PCODES_SETTING_BUDGET_GUESSES,
        c: "capacity of the guess budget a success does not renew",
        budget_guesses: u32 = 36 in 2..=36;
    /// Seconds in which one charged guess drains from the budget (6 to 180 days).
    BudgetDrainSeconds = 18 => PCODES_SETTING_BUDGET_DRAIN_SECONDS,
        c: "seconds in which one guess drains from the budget",
        budget_drain_seconds: u64 = 518_400 in 518_400..=15_552_000;
    /// How long a device token stays valid after it was issued, seconds (`crate::device`;
    /// default 90 days, at most 400).
    DeviceTrustSeconds = 19 => PCODES_SETTING_DEVICE_TRUST_SECONDS,
        c: "device-token validity, seconds",
        device_trust_seconds: u64 = 7_776_000 in 3_600..=34_560_000;
}

/// Default allowed PIN lengths: 4 and 6.
pub const PIN_LENGTHS_DEFAULT: u32 = (1 << 4) | (1 << 6);

/// The guess limit every allowed setting keeps (issue 20 §5; `docs/security.md`, "Settings
/// cannot empty the guess limits"): a run of consecutive failures gets at most this many counted
/// guesses before the blob is blocked (the largest `BLOCK_AFTER_FAILURES`).
pub const GUESSES_PER_RUN: u32 = 20;

/// The most codes one authenticator-app guess can match: `2 × TOTP_WINDOW_STEPS + 1` and
/// `HOTP_LOOK_AHEAD + 1` at their largest allowed values.
pub const CODES_PER_GUESS: u32 = 21;

/// The largest chance, in millionths, that one run of guesses succeeds at any allowed settings:
/// [`GUESSES_PER_RUN`] guesses at a 4-digit PIN or SMS code (1 in 10⁴ each), the weakest secret
/// the settings allow (0.2 %). An authenticator app at its widest window stays below it
/// ([`GUESSES_PER_RUN`] × [`CODES_PER_GUESS`] in 10⁶: 0.042 %), a link code far below (2⁻⁴⁰ a
/// guess).
pub const WORST_RUN_PPM: u32 = 2_000;

/// The guess limit per year every allowed setting keeps (issue 22 §2; `docs/security.md`,
/// "Failures that fade, and a budget a success does not renew"): at most this many counted
/// failures in any 365 days, whatever the successes between them — `BUDGET_GUESSES + ⌈365 d /
/// BUDGET_DRAIN_SECONDS⌉` (97 at the defaults and at the extremes), 1 % of a 4-digit PIN's values.
pub const GUESSES_PER_YEAR: u32 = 100;

/// Seconds in a year of 365 days (the window of [`GUESSES_PER_YEAR`]).
pub const YEAR_SECONDS: u64 = 365 * 86_400;

// `SPEC` is in id order from 1 (`Setting::spec` indexes it), and `PIN_LENGTHS_DEFAULT` is the
// setting's default and its only bits.
#[allow(clippy::int_plus_one)] // `x + 1 <= n`: x + 1 codes a guess, at most n
const _: () = {
    let mut i = 0;
    while i < SPEC.len() {
        assert!(SPEC[i].setting as usize == i + 1);
        i += 1;
    }
    let pin = &SPEC[Setting::PinLengths as usize - 1];
    assert!(pin.default == PIN_LENGTHS_DEFAULT as u64 && pin.mask == PIN_LENGTHS_DEFAULT as u64);
    // The guess limits hold at every allowed value (docs/security.md): no row may widen them.
    assert!(SPEC[Setting::BlockAfterFailures as usize - 1].hi == GUESSES_PER_RUN as u64);
    assert!(SPEC[Setting::LockAfterFailures as usize - 1].hi <= GUESSES_PER_RUN as u64);
    assert!(2 * SPEC[Setting::TotpWindowSteps as usize - 1].hi + 1 <= CODES_PER_GUESS as u64);
    assert!(SPEC[Setting::HotpLookAhead as usize - 1].hi + 1 <= CODES_PER_GUESS as u64);
    // 4 digits (the shortest SMS code, the shortest PIN) give 10⁴ values: 100 ppm a guess.
    assert!(
        SPEC[Setting::OtpDigits as usize - 1].lo == 4 && SPEC[Setting::PinLengths as usize - 1].lo == 1 << 4
    );
    assert!(GUESSES_PER_RUN * 100 <= WORST_RUN_PPM);
    // TOTP and HOTP codes have at least 6 digits (`totp::Params`): 1 ppm a code.
    assert!(GUESSES_PER_RUN * CODES_PER_GUESS <= WORST_RUN_PPM);
    // The budget's yearly bound at the largest capacity and the fastest drain (issue 22 §2),
    // and every lock it sets fits layout 4's u24 (`blob::MAX_LOCK_SECONDS`).
    let budget = &SPEC[Setting::BudgetGuesses as usize - 1];
    let drain = &SPEC[Setting::BudgetDrainSeconds as usize - 1];
    assert!(budget.hi + YEAR_SECONDS.div_ceil(drain.lo) <= GUESSES_PER_YEAR as u64);
    assert!(budget.lo >= 2);
    // (`MAX_LOCK_SECONDS` < `MAX_BUDGET_LAG`: a drain period fits the budget's lag too.)
    assert!(drain.hi <= crate::blob::MAX_LOCK_SECONDS);
    assert!(crate::blob::MAX_LOCK_SECONDS < crate::blob::MAX_BUDGET_LAG);
    assert!(SPEC[Setting::LockRepeatSeconds as usize - 1].hi <= crate::blob::MAX_LOCK_SECONDS);
    assert!(SPEC[Setting::LockFirstSeconds as usize - 1].hi <= crate::blob::MAX_LOCK_SECONDS);
};

impl Setting {
    /// The setting for a C id; `None` if unknown.
    #[must_use]
    pub fn from_id(id: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| *s as i32 == id)
    }

    fn spec(self) -> &'static Spec {
        &SPEC[self as usize - 1]
    }

    /// The default value.
    #[must_use]
    pub fn default_value(self) -> u64 {
        self.spec().default
    }

    /// The C name, e.g. `"PCODES_SETTING_OTP_DIGITS"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        let n = self.spec().name;
        n.strip_suffix('\0').unwrap_or(n)
    }

    /// The C name, NUL-terminated (for the C API).
    #[cfg(feature = "capi")]
    pub(crate) fn name_nul(self) -> &'static str {
        self.spec().name
    }

    /// The one-line meaning of the C header and `docs/c-api.md`.
    #[cfg(all(test, feature = "capi"))]
    pub(crate) fn meaning(self) -> &'static str {
        self.spec().c
    }

    /// Whether [`Policy::set`] accepts `value` for this setting.
    #[must_use]
    pub fn allows(self, value: u64) -> bool {
        self.spec().allows(value)
    }

    /// The allowed range, inclusive.
    #[must_use]
    pub fn range(self) -> (u64, u64) {
        (self.spec().lo, self.spec().hi)
    }
}

impl Policy {
    /// Changes one setting.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `value` is outside the setting's range, or has a bit its
    /// bitmask does not allow (nothing changes).
    pub fn set(&mut self, setting: Setting, value: u64) -> Result<()> {
        if !setting.spec().allows(value) {
            return Err(Error::InvalidArgument.because(
                c"value: outside the setting's range or allowed bits (see PCODES_SETTING_* in the header)",
            ));
        }
        self.store(setting, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_defaults_match_the_contract() {
        let expected = [
            (1, 600),
            (2, 300),
            (3, 6),
            (4, 3),
            (5, 60),
            (6, 5),
            (7, 600_000),
            (8, 0x50),
            (9, 5),
            (10, 900),
            (11, 1800),
            (12, 15),
            (13, 1),
            (14, 10),
            (15, 3),
            (16, 86_400),
            (17, 36),
            (18, 518_400),
            (19, 7_776_000),
        ];
        let p = Policy::default();
        for (id, d) in expected {
            let s = Setting::from_id(id).unwrap();
            assert_eq!(s as i32, id);
            assert_eq!(p.get(s), d, "{s:?}");
        }
        assert_eq!(Setting::from_id(0), None);
        assert_eq!(Setting::from_id(20), None);
        assert_eq!(Setting::from_id(-1), None);
    }

    #[test]
    fn every_range_is_enforced_at_its_edges() {
        for s in Setting::ALL {
            let mut p = Policy::default();
            let (lo, hi) = s.range();
            if lo > 0 {
                assert_eq!(p.set(s, lo - 1), Err(Error::InvalidArgument), "{s:?}");
            }
            assert_eq!(p.set(s, hi + 1), Err(Error::InvalidArgument), "{s:?}");
            assert_eq!(p.set(s, u64::MAX), Err(Error::InvalidArgument), "{s:?}");
            assert_eq!(p, Policy::default(), "a refused value changes nothing");
            p.set(s, lo).unwrap();
            assert_eq!(p.get(s), lo);
            p.set(s, hi).unwrap();
            assert_eq!(p.get(s), hi);
        }
    }

    /// Issue 20 §5: values that emptied the guess limits are refused loudly at configuration
    /// (`HOTP_LOOK_AHEAD = 1000` made 15 guesses worth ~1.5 %; `BLOCK_AFTER_FAILURES =
    /// LOCK_AFTER_FAILURES = 1000` took the block away), and at the largest allowed values the
    /// documented limits hold: at most `GUESSES_PER_RUN` guesses a run, `CODES_PER_GUESS` codes
    /// a guess.
    #[test]
    #[allow(clippy::int_plus_one)] // `x + 1 <= n`: x + 1 codes a guess, at most n
    fn settings_cannot_empty_the_guess_limits() {
        let mut p = Policy::default();
        for (s, v) in [
            (Setting::HotpLookAhead, 1000),
            (Setting::HotpLookAhead, 21),
            (Setting::BlockAfterFailures, 1000),
            (Setting::BlockAfterFailures, 21),
            (Setting::LockAfterFailures, 1000),
            (Setting::LockAfterFailures, 21),
        ] {
            assert_eq!(p.set(s, v), Err(Error::InvalidArgument), "{s:?} = {v}");
        }
        assert_eq!(p, Policy::default());
        let max = |s: Setting| s.range().1;
        assert_eq!(max(Setting::BlockAfterFailures), u64::from(GUESSES_PER_RUN));
        assert!(max(Setting::LockAfterFailures) <= u64::from(GUESSES_PER_RUN));
        assert!(max(Setting::HotpLookAhead) + 1 <= u64::from(CODES_PER_GUESS));
        assert!(2 * max(Setting::TotpWindowSteps) + 1 <= u64::from(CODES_PER_GUESS));
        // The chance of one run at the extremes, in millionths: a 4-digit secret, and a
        // 6-digit authenticator code matched against the widest window.
        let run = max(Setting::BlockAfterFailures);
        let shortest = 10u64.pow(u32::try_from(Setting::OtpDigits.range().0).unwrap());
        assert!(run * 1_000_000 / shortest <= u64::from(WORST_RUN_PPM));
        assert!(run * (max(Setting::HotpLookAhead) + 1) <= u64::from(WORST_RUN_PPM));
        assert!(run * (2 * max(Setting::TotpWindowSteps) + 1) <= u64::from(WORST_RUN_PPM));
    }

    #[test]
    fn pin_lengths_only_4_and_6() {
        let mut p = Policy::default();
        for v in [0x10, 0x40, 0x50] {
            p.set(Setting::PinLengths, v).unwrap();
        }
        for v in [0, 0x20, 0x30, 0x11, 0x08] {
            assert_eq!(p.set(Setting::PinLengths, v), Err(Error::InvalidArgument), "{v:#x}");
        }
    }
}

//! Tunable settings, their defaults and their allowed ranges.
//!
//! Values come from C as `(int32_t setting, uint64_t value)`, so every setting id and every value
//! is checked: an unknown setting or an out-of-range value is [`Error::InvalidArgument`] and
//! changes nothing.

use crate::error::{Error, Result};

/// A setting id (`PCODES_SETTING_*` in C). The numeric values are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(i32)]
pub enum Setting {
    /// Link-code validity, seconds. Default 600, range 60–86400.
    LinkTtlSeconds = 1,
    /// SMS/e-mail code validity, seconds. Default 300, range 30–3600.
    OtpTtlSeconds = 2,
    /// SMS/e-mail code length. Default 6, range 4–8.
    OtpDigits = 3,
    /// Wrong tries allowed per SMS/e-mail code. Default 3, range 1–10.
    OtpMaxAttempts = 4,
    /// Minimum seconds between two sends. Default 60, range 0–3600.
    OtpResendSeconds = 5,
    /// Sends allowed per rolling hour. Default 5, range 1–10 (each send time in the window is
    /// kept in the state blob).
    OtpMaxSendsPerHour = 6,
    /// PBKDF2 iterations for new PIN hashes. Default 600,000 (OWASP Password Storage Cheat
    /// Sheet, PBKDF2-HMAC-SHA256, 2023), floor 10,000, ceiling 10,000,000.
    PinIterations = 7,
    /// Allowed PIN lengths as a bitmask (bit n = length n). Default `1<<4 | 1<<6`; any non-empty
    /// combination of bits 4 and 6.
    PinLengths = 8,
    /// Consecutive failures that lock. Default 5, range 1–1000.
    LockAfterFailures = 9,
    /// First lock, seconds. Default 900, range 1–604800 (a week).
    LockFirstSeconds = 10,
    /// Every later lock, seconds. Default 1800, range 1–604800.
    LockRepeatSeconds = 11,
    /// Consecutive failures that block until reset. Default 15, range 1–1000.
    BlockAfterFailures = 12,
    /// TOTP steps accepted either side of the current one. Default 1, range 0–10.
    TotpWindowSteps = 13,
    /// HOTP counters looked ahead. Default 10, range 0–1000.
    HotpLookAhead = 14,
}

/// `(setting, default, min, max)`, in id order.
const SPEC: [(Setting, u64, u64, u64); 14] = [
    (Setting::LinkTtlSeconds, 600, 60, 86_400),
    (Setting::OtpTtlSeconds, 300, 30, 3_600),
    (Setting::OtpDigits, 6, 4, 8),
    (Setting::OtpMaxAttempts, 3, 1, 10),
    (Setting::OtpResendSeconds, 60, 0, 3_600),
    (Setting::OtpMaxSendsPerHour, 5, 1, 10),
    (Setting::PinIterations, 600_000, 10_000, 10_000_000),
    (Setting::PinLengths, PIN_LENGTHS_DEFAULT as u64, 1 << 4, PIN_LENGTHS_DEFAULT as u64),
    (Setting::LockAfterFailures, 5, 1, 1_000),
    (Setting::LockFirstSeconds, 900, 1, 604_800),
    (Setting::LockRepeatSeconds, 1_800, 1, 604_800),
    (Setting::BlockAfterFailures, 15, 1, 1_000),
    (Setting::TotpWindowSteps, 1, 0, 10),
    (Setting::HotpLookAhead, 10, 0, 1_000),
];

/// Default allowed PIN lengths: 4 and 6.
pub const PIN_LENGTHS_DEFAULT: u32 = (1 << 4) | (1 << 6);

impl Setting {
    /// Every setting, in id order.
    pub const ALL: [Setting; 14] = {
        let mut all = [Setting::LinkTtlSeconds; 14];
        let mut i = 0;
        while i < 14 {
            all[i] = SPEC[i].0;
            i += 1;
        }
        all
    };

    /// The setting for a C id; `None` if unknown.
    #[must_use]
    pub fn from_id(id: i32) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| *s as i32 == id)
    }

    fn spec(self) -> (u64, u64, u64) {
        let (_, d, lo, hi) = SPEC[self as usize - 1];
        (d, lo, hi)
    }

    /// The default value.
    #[must_use]
    pub fn default_value(self) -> u64 {
        self.spec().0
    }

    /// The allowed range, inclusive.
    #[must_use]
    pub fn range(self) -> (u64, u64) {
        let (_, lo, hi) = self.spec();
        (lo, hi)
    }
}

/// All settings of a context.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// See [`Setting::LinkTtlSeconds`].
    pub link_ttl_seconds: u64,
    /// See [`Setting::OtpTtlSeconds`].
    pub otp_ttl_seconds: u64,
    /// See [`Setting::OtpDigits`].
    pub otp_digits: u32,
    /// See [`Setting::OtpMaxAttempts`].
    pub otp_max_attempts: u32,
    /// See [`Setting::OtpResendSeconds`].
    pub otp_resend_seconds: u64,
    /// See [`Setting::OtpMaxSendsPerHour`].
    pub otp_max_sends_per_hour: u32,
    /// See [`Setting::PinIterations`].
    pub pin_iterations: u32,
    /// See [`Setting::PinLengths`].
    pub pin_lengths: u32,
    /// See [`Setting::LockAfterFailures`].
    pub lock_after_failures: u32,
    /// See [`Setting::LockFirstSeconds`].
    pub lock_first_seconds: u64,
    /// See [`Setting::LockRepeatSeconds`].
    pub lock_repeat_seconds: u64,
    /// See [`Setting::BlockAfterFailures`].
    pub block_after_failures: u32,
    /// See [`Setting::TotpWindowSteps`].
    pub totp_window_steps: u32,
    /// See [`Setting::HotpLookAhead`].
    pub hotp_look_ahead: u32,
}

impl Default for Policy {
    fn default() -> Self {
        let mut p = Policy {
            link_ttl_seconds: 0,
            otp_ttl_seconds: 0,
            otp_digits: 0,
            otp_max_attempts: 0,
            otp_resend_seconds: 0,
            otp_max_sends_per_hour: 0,
            pin_iterations: 0,
            pin_lengths: 0,
            lock_after_failures: 0,
            lock_first_seconds: 0,
            lock_repeat_seconds: 0,
            block_after_failures: 0,
            totp_window_steps: 0,
            hotp_look_ahead: 0,
        };
        for s in Setting::ALL {
            p.store(s, s.default_value());
        }
        p
    }
}

impl Policy {
    /// Changes one setting.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if `value` is outside the setting's range (nothing changes).
    pub fn set(&mut self, setting: Setting, value: u64) -> Result<()> {
        let (lo, hi) = setting.range();
        if value < lo || value > hi {
            return Err(Error::InvalidArgument
                .because(c"value: outside the setting's range (see PCODES_SETTING_* in the header)"));
        }
        if setting == Setting::PinLengths && value & !u64::from(PIN_LENGTHS_DEFAULT) != 0 {
            return Err(Error::InvalidArgument
                .because(c"value: PIN_LENGTHS is a bit set of 4 (bit 4) and 6 (bit 6) only"));
        }
        self.store(setting, value);
        Ok(())
    }

    /// Reads one setting.
    #[must_use]
    pub fn get(&self, setting: Setting) -> u64 {
        match setting {
            Setting::LinkTtlSeconds => self.link_ttl_seconds,
            Setting::OtpTtlSeconds => self.otp_ttl_seconds,
            Setting::OtpDigits => self.otp_digits.into(),
            Setting::OtpMaxAttempts => self.otp_max_attempts.into(),
            Setting::OtpResendSeconds => self.otp_resend_seconds,
            Setting::OtpMaxSendsPerHour => self.otp_max_sends_per_hour.into(),
            Setting::PinIterations => self.pin_iterations.into(),
            Setting::PinLengths => self.pin_lengths.into(),
            Setting::LockAfterFailures => self.lock_after_failures.into(),
            Setting::LockFirstSeconds => self.lock_first_seconds,
            Setting::LockRepeatSeconds => self.lock_repeat_seconds,
            Setting::BlockAfterFailures => self.block_after_failures.into(),
            Setting::TotpWindowSteps => self.totp_window_steps.into(),
            Setting::HotpLookAhead => self.hotp_look_ahead.into(),
        }
    }

    /// Stores an already-checked value (every range fits the field's type).
    fn store(&mut self, setting: Setting, value: u64) {
        let v32 = u32::try_from(value).unwrap_or(u32::MAX);
        match setting {
            Setting::LinkTtlSeconds => self.link_ttl_seconds = value,
            Setting::OtpTtlSeconds => self.otp_ttl_seconds = value,
            Setting::OtpDigits => self.otp_digits = v32,
            Setting::OtpMaxAttempts => self.otp_max_attempts = v32,
            Setting::OtpResendSeconds => self.otp_resend_seconds = value,
            Setting::OtpMaxSendsPerHour => self.otp_max_sends_per_hour = v32,
            Setting::PinIterations => self.pin_iterations = v32,
            Setting::PinLengths => self.pin_lengths = v32,
            Setting::LockAfterFailures => self.lock_after_failures = v32,
            Setting::LockFirstSeconds => self.lock_first_seconds = value,
            Setting::LockRepeatSeconds => self.lock_repeat_seconds = value,
            Setting::BlockAfterFailures => self.block_after_failures = v32,
            Setting::TotpWindowSteps => self.totp_window_steps = v32,
            Setting::HotpLookAhead => self.hotp_look_ahead = v32,
        }
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
        ];
        let p = Policy::default();
        for (id, d) in expected {
            let s = Setting::from_id(id).unwrap();
            assert_eq!(s as i32, id);
            assert_eq!(p.get(s), d, "{s:?}");
        }
        assert_eq!(Setting::from_id(0), None);
        assert_eq!(Setting::from_id(15), None);
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

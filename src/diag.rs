//! Developer diagnostics: which argument a call refused and why, in English.
//!
//! A status such as [`Error::InvalidArgument`] tells the host *that* an argument was bad; the
//! person using the portal sees only the polite [`Error::message`]. The developer who wrote the
//! call needs more: which argument, and what was wrong with it. Every place that refuses a
//! developer's input (a NULL pointer, a `now` out of range, a state blob of the wrong length or
//! kind, a setting out of range, an unknown algorithm, …) records a short static sentence here,
//! naming the argument, e.g. `"now: must be 1 ..= 253402300799 (unix seconds, UTC)"`.
//!
//! The detail is kept per thread (feature `std`; without it nothing is recorded) and read with
//! [`last_error_detail`] or, from C, `pcodes_last_error_detail()`. Details are fixed sentences:
//! they never contain a value the caller passed, so no secret, code or PIN can leak through
//! them. Verdicts about a code or PIN (`WRONG`, `EXPIRED`, `LOCKED`, …) record nothing: their
//! status says everything, and a detail could only help an attacker.
//!
//! The rule (docs/c-api.md, "Developer details"): every status of the class
//! [`StatusClass::DeveloperError`](crate::StatusClass) (the `statuses!` table in
//! `src/error.rs` gives each status its class) always leaves a C function with a detail that
//! starts with the name of one of its parameters as the header spells it
//! (`"code_out_len: too small, …"`); the C boundary clears any detail a
//! [`StatusClass::Verdict`](crate::StatusClass) would carry. `src/ffi/detail_tests.rs` checks it.
//!
//! Every C function starts by clearing the detail, so after a C call it belongs to that call.
//! So does every Rust call that can record one (and a flow's verdict clears one its facts left):
//! after a success or a verdict the detail is empty, after a developer error it is that error's.

use core::ffi::CStr;

use crate::error::Error;

#[cfg(feature = "std")]
std::thread_local! {
    static DETAIL: core::cell::Cell<&'static CStr> = const { core::cell::Cell::new(c"") };
}

/// Records `detail` as this thread's last error detail (nothing without `std`).
#[inline]
pub(crate) fn note(detail: &'static CStr) {
    #[cfg(feature = "std")]
    DETAIL.with(|d| d.set(detail));
    #[cfg(not(feature = "std"))]
    let _ = detail;
}

/// Forgets this thread's last error detail (every C function does this first, and a flow
/// that answers a verdict does it last: `crate::flow::run`). Nothing without `std`.
#[inline(always)]
pub(crate) fn clear() {
    #[cfg(feature = "std")]
    DETAIL.with(|d| d.set(c""));
}

/// This thread's detail as a C string (static storage; `""` when none was recorded).
#[cfg(feature = "std")]
pub(crate) fn last_cstr() -> &'static CStr {
    DETAIL.with(core::cell::Cell::get)
}

/// The English developer detail recorded by the last call on this thread that refused an
/// argument, e.g. `"state_len: must be PCODES_STATE_BYTES (64)"`; `""` when none was recorded.
/// Not for the person using the portal (use [`Error::message`]); never contains a secret.
#[cfg(feature = "std")]
#[must_use]
pub fn last_error_detail() -> &'static str {
    last_cstr().to_str().unwrap_or("")
}

impl Error {
    /// Records `detail` (see [`crate::diag`]) and returns `self`:
    /// `Err(Error::InvalidArgument.because(c"now: …"))`.
    #[inline]
    #[must_use]
    pub(crate) fn because(self, detail: &'static CStr) -> Self {
        note(detail);
        self
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// Issue 20 §5: in Rust the detail was never cleared, so after a success it still named an
    /// earlier call's argument. Now every public call that can record one starts clean.
    #[test]
    fn a_success_leaves_no_stale_detail() {
        let spoil = || {
            let _ = crate::Context::new(&[1; 3], 1);
            assert!(!last_error_detail().is_empty(), "the failing call recorded a detail");
        };
        let ctx = crate::Context::new(&[7; 32], 1).unwrap();
        let checks: [(&str, &dyn Fn() -> bool); 8] = [
            ("Context::new", &|| crate::Context::new(&[7; 32], 1).is_ok()),
            ("base32::decode", &|| crate::base32::decode("MZXW6", &mut [0u8; 8]).is_ok()),
            ("pin::check", &|| crate::pin::check(&ctx, "385027", "385027", None).is_ok()),
            ("pin::params", &|| {
                crate::pin::params("$pcodes-pin$v=1,k=1,i=10000,n=6$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").is_ok()
            }),
            ("totp::hotp::code", &|| {
                crate::totp::hotp::code(&[1; 20], crate::totp::Algorithm::Sha1, 6, 1).is_ok()
            }),
            ("totp::Params::new", &|| crate::totp::Params::new(crate::totp::Algorithm::Sha1, 6, 30).is_ok()),
            ("link::parse", &|| crate::link::parse("0").is_err()),
            ("state::retry_at", &|| crate::state::retry_at(&[0; 64], 100).is_ok()),
        ];
        for (name, call) in checks {
            spoil();
            assert!(call(), "{name}");
            assert_eq!(last_error_detail(), "", "{name} left the earlier detail");
        }
    }

    #[test]
    fn records_per_thread() {
        let _ = Error::InvalidArgument.because(c"x: must be y");
        assert_eq!(last_error_detail(), "x: must be y");
        std::thread::spawn(|| assert_eq!(last_error_detail(), "")).join().unwrap();
        assert_eq!(last_error_detail(), "x: must be y");
    }
}

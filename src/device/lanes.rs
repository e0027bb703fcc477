//! The trusted lane for SMS/e-mail codes and authenticator (TOTP/HOTP) codes
//! (docs/device-trust.md).
//!
//! Each call checks the device token first ([`check`]: any error of it changes nothing and
//! computes nothing), then runs the flow's own decision ([`crate::otp::verify`],
//! [`crate::totp::time::verify`], [`crate::totp::hotp::verify`]: the same facts and `decide`,
//! not a copy) on the flow's blob, with the lockout of the **device blob** instead of the flow
//! blob's: the device blob's header is gated (`LOCKED` / `BLOCKED`) and counts the failure or
//! the success under [`trusted_policy`]; the flow blob's lockout header is neither gated nor
//! counted, and its payload records what the flow records (the SMS code used or its wrong try,
//! the TOTP step, the HOTP counter). So single use and replay protection hold across both lanes:
//! a code accepted in one lane is `ALREADY_USED` in the other.
//!
//! There is one trusted lane per account, the device blob's header, shared by every flow: a
//! device holder's wrong SMS code and wrong PIN count in the same allowance.
//!
//! **Both blobs are written**: the host stores the flow blob and the device blob in one
//! transaction, with compare-and-swap on each; a verdict is final only after both writes
//! succeeded (on a lost write: re-read both and call again, whatever the status).

use core::ffi::CStr;

use super::{Payload, Trusted, check, trusted_policy};
use crate::blob::STATE_BYTES;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flow;
use crate::otp::OtpCode;
use crate::rng::CryptoRng;
use crate::totp::{Algorithm, Params};

/// A damaged or foreign blob is named as the caller passed it (`otp_state`, `device_state`).
fn named(blob: &'static CStr) -> impl Fn(Error) -> Error {
    move |e| if e == Error::CorruptState { e.because(blob) } else { e }
}

/// [`check`] with the device blob named `device_state`.
fn check_device(
    ctx: &Context,
    account_id: &str,
    token: &str,
    now: u64,
    device: &[u8; STATE_BYTES],
) -> Result<Trusted> {
    check(ctx, account_id, token, now, device)
        .map_err(named(c"device_state: not a device blob (unknown kind or version, or damaged)"))
}

const OTP: &CStr = c"otp_state: not an SMS-code blob (unknown kind or version, or damaged)";

/// Verifies an SMS/e-mail `code` for `purpose` (as [`crate::otp::verify`]) from a trusted
/// device: checks `token` for `account_id` against `device_state`, then compares the code as
/// [`crate::otp::verify`] does (expiry, purpose, used, revoked, superseded, the code's own
/// attempts) with the lockout of the device blob (the trusted lane) instead of `otp_state`'s.
///
/// On `Ok` the code is used in `otp_state` (it is then `ALREADY_USED` in both lanes) and the
/// trusted lane's failures and lock clear; a `WRONG` code counts one failure in `device_state`
/// and one wrong try on the code in `otp_state` (the code's `OTP_MAX_ATTEMPTS` bounds the guesses
/// at that code whatever the lane). `otp_state`'s lockout header is neither checked nor changed.
/// Store both blobs in one transaction with compare-and-swap on each: the verdict is final only
/// after both writes succeeded.
///
/// # Errors
/// [`Error::InvalidArgument`] (`now`, empty `purpose` or `account_id`), [`Error::CorruptState`]
/// (either blob; both untouched); the errors of [`check`] (nothing changed: drop the cookie and
/// call [`crate::otp::verify`], the untrusted lane); [`Error::Locked`], [`Error::Blocked`] (the
/// trusted lane); then the statuses of [`crate::otp::verify`] after its lock: only
/// [`Error::Wrong`] is counted (in the device blob).
#[allow(clippy::too_many_arguments)] // the flow's arguments, the token's, and two blobs
pub fn otp_verify(
    ctx: &Context,
    account_id: &str,
    purpose: &str,
    code: &str,
    token: &str,
    now: u64,
    otp_state: &mut [u8; STATE_BYTES],
    device_state: &mut [u8; STATE_BYTES],
) -> Result<()> {
    let attempt = crate::otp::verify_attempt(ctx, purpose, code, now)?;
    check_device(ctx, account_id, token, now, device_state)?;
    flow::run_trusted::<_, Payload, _>(otp_state, device_state, &trusted_policy(ctx.policy()), now, attempt)
        .map_err(named(OTP))
}

/// Issues (or re-issues) an SMS/e-mail code for `purpose` (as [`crate::otp::issue_with_rng`]) to
/// the holder of a trusted device, whose untrusted lane may be locked or blocked by someone
/// else's guesses: checks `token` against `device_state` (read, not written), then gates on the
/// trusted lane's lockout instead of `otp_state`'s. The resend limits of `otp_state`
/// (`OTP_RESEND_SECONDS`, `OTP_MAX_SENDS_PER_HOUR`) hold in both lanes: they bound what the
/// account's SMS cost, whoever asks. Only `otp_state` is written (its code and send history; its
/// lockout header is kept): store it with compare-and-swap.
///
/// # Errors
/// As [`crate::otp::issue_with_rng`], with the errors of [`check`] (nothing changed) before the
/// lock, and [`Error::Locked`] / [`Error::Blocked`] those of the trusted lane.
#[allow(clippy::too_many_arguments)] // the flow's arguments, the token's, two blobs, the rng
pub fn otp_issue_with_rng<R: CryptoRng + ?Sized>(
    ctx: &Context,
    account_id: &str,
    purpose: &str,
    token: &str,
    now: u64,
    otp_state: &mut [u8; STATE_BYTES],
    device_state: &[u8; STATE_BYTES],
    rng: &mut R,
) -> Result<OtpCode> {
    let attempt = crate::otp::issue_attempt(ctx, purpose, now, rng)?;
    check_device(ctx, account_id, token, now, device_state)?;
    // Not counted: the device blob comes out as it went in, so it is not handed back.
    let mut lane = *device_state;
    flow::run_trusted::<_, Payload, _>(otp_state, &mut lane, &trusted_policy(ctx.policy()), now, attempt)
        .map_err(named(OTP))
}

/// [`otp_issue_with_rng`] with this thread's OS-seeded generator.
///
/// # Errors
/// As [`otp_issue_with_rng`], and [`Error::RngFailure`].
#[cfg(feature = "std")]
pub fn otp_issue(
    ctx: &Context,
    account_id: &str,
    purpose: &str,
    token: &str,
    now: u64,
    otp_state: &mut [u8; STATE_BYTES],
    device_state: &[u8; STATE_BYTES],
) -> Result<OtpCode> {
    crate::rng::with_system_rng(16, |r| {
        otp_issue_with_rng(ctx, account_id, purpose, token, now, otp_state, device_state, r)
    })?
}

/// Verifies a TOTP `code` (as [`crate::totp::time::verify`]; returns the drift) from a trusted
/// device: checks `token` against `device_state`, then scans the window as
/// [`crate::totp::time::verify`] does, with the lockout of the device blob instead of
/// `totp_state`'s. `totp_state` keeps its replay protection: a step accepted in either lane is
/// `ALREADY_USED` in the other. Store both blobs in one transaction with compare-and-swap on
/// each: the verdict is final only after both writes succeeded.
///
/// # Errors
/// [`Error::InvalidArgument`] (`now`, the secret, empty `account_id`), [`Error::CorruptState`]
/// (either blob; both untouched); the errors of [`check`] (nothing changed); [`Error::Locked`],
/// [`Error::Blocked`] (the trusted lane); [`Error::Mistyped`], [`Error::AlreadyUsed`] (not
/// counted); [`Error::Wrong`] (counted in the device blob).
#[allow(clippy::too_many_arguments)] // the flow's arguments, the token's, and two blobs
pub fn totp_verify(
    ctx: &Context,
    account_id: &str,
    secret: &[u8],
    params: &Params,
    code: &str,
    token: &str,
    now: u64,
    totp_state: &mut [u8; STATE_BYTES],
    device_state: &mut [u8; STATE_BYTES],
) -> Result<i32> {
    let (current, attempt) = crate::totp::time::verify_attempt(ctx, secret, params, code, now)?;
    check_device(ctx, account_id, token, now, device_state)?;
    let policy = trusted_policy(ctx.policy());
    let at = flow::run_trusted::<_, Payload, _>(totp_state, device_state, &policy, now, attempt)
        .map_err(named(c"totp_state: not a TOTP blob (unknown kind or version, or damaged)"))?;
    crate::totp::time::drift(at, current)
}

/// Verifies a HOTP `code` (as [`crate::totp::hotp::verify`]; returns the matched counter) from
/// a trusted device: checks `token` against `device_state`, then scans the look-ahead as
/// [`crate::totp::hotp::verify`] does, with the lockout of the device blob instead of
/// `hotp_state`'s. `hotp_state` keeps its counter: a counter accepted in either lane is not
/// accepted again in the other. Store both blobs in one transaction with compare-and-swap on
/// each: the verdict is final only after both writes succeeded.
///
/// # Errors
/// As [`totp_verify`] (digits outside 6–8 are [`Error::InvalidArgument`]).
#[allow(clippy::too_many_arguments)] // the flow's arguments, the token's, and two blobs
pub fn hotp_verify(
    ctx: &Context,
    account_id: &str,
    secret: &[u8],
    algorithm: Algorithm,
    digits: u32,
    code: &str,
    token: &str,
    now: u64,
    hotp_state: &mut [u8; STATE_BYTES],
    device_state: &mut [u8; STATE_BYTES],
) -> Result<u64> {
    let attempt = crate::totp::hotp::verify_attempt(ctx, secret, algorithm, digits, code, now)?;
    check_device(ctx, account_id, token, now, device_state)?;
    flow::run_trusted::<_, Payload, _>(hotp_state, device_state, &trusted_policy(ctx.policy()), now, attempt)
        .map_err(named(c"hotp_state: not a HOTP blob (unknown kind or version, or damaged)"))
}

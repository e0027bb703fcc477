//! The trusted lane of SMS/e-mail codes and TOTP/HOTP (`pcodes_device_otp_*`,
//! `pcodes_device_totp_verify`, `pcodes_device_hotp_verify`; issue 22 §3, docs/device-trust.md):
//! the flow's blob and the device blob in one call, both written.

use core::ffi::{CStr, c_char};

use super::ctx::{ctx_ref, pcodes_ctx};
use super::totp::pcodes_algorithm;
use super::{
    Arg, OutBuf, Region, boundary, bytes, bytes_mut, pcodes_status, region_of, region_of_bytes,
    region_of_state, region_of_text, text,
};
use crate::context::Context;
use crate::device;

/// A blob of `PCODES_STATE_BYTES` given as `(p, len)`, for reading (`a` names it in a refusal,
/// `bad_len` is the detail of a wrong length).
///
/// # Safety
/// `p` is NULL or valid for reads of `len` bytes.
unsafe fn named_blob<'a>(
    p: *const u8,
    len: usize,
    a: &Arg,
    bad_len: &'static CStr,
) -> crate::Result<&'a [u8; crate::STATE_BYTES]> {
    // SAFETY: forwarded caller contract.
    let st = unsafe { bytes(p, len, a) }?;
    st.try_into().map_err(|_| crate::Error::CorruptState.because(bad_len))
}

/// [`named_blob`] for reading and writing.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of `len` bytes, and not aliased.
unsafe fn named_blob_mut<'a>(
    p: *mut u8,
    len: usize,
    a: &Arg,
    bad_len: &'static CStr,
) -> crate::Result<&'a mut [u8; crate::STATE_BYTES]> {
    // SAFETY: forwarded caller contract.
    let st = unsafe { bytes_mut(p, len, a) }?;
    st.try_into().map_err(|_| crate::Error::CorruptState.because(bad_len))
}

/// The flow's blob (`<flow>_state`) and the device blob (`device_state`) of a trusted-lane call,
/// both writable, disjoint (checked by the caller).
///
/// # Safety
/// Both are NULL or valid for reads and writes of their lengths, and not aliased.
unsafe fn two_blobs<'a>(
    (flow, flow_len, flow_arg, flow_bad): (*mut u8, usize, &Arg, &'static CStr),
    (dev, dev_len): (*mut u8, usize),
) -> crate::Result<(&'a mut [u8; crate::STATE_BYTES], &'a mut [u8; crate::STATE_BYTES])> {
    // SAFETY: forwarded caller contract.
    unsafe {
        Ok((
            named_blob_mut(flow, flow_len, flow_arg, flow_bad)?,
            named_blob_mut(dev, dev_len, arg!(device_state, device_state_len), DEVICE_LEN)?,
        ))
    }
}

const DEVICE_LEN: &CStr = c"device_state_len: must be PCODES_STATE_BYTES (64)";
const DEV_ARG: &Arg = arg!(device_state, device_state_len);
const OTP_ARG: &Arg = arg!(otp_state, otp_state_len);

/// Verifies an SMS/e-mail `code` for `purpose` from a trusted device: checks `token` for
/// `account_id` against the device blob `device_state`, then compares the code exactly as
/// `pcodes_otp_verify` does on the SMS blob `otp_state` (expiry, purpose, used, superseded, the
/// code's own attempts), but gates and counts in the device blob (the trusted lane, shared with
/// `pcodes_device_pin_verify` and the TOTP/HOTP calls) instead of `otp_state`'s lockout, which is
/// neither checked nor changed. `OK` marks the code used in `otp_state` (then `ALREADY_USED` in
/// both lanes) and clears the trusted lane's failures; `WRONG` counts in `device_state` and as a
/// wrong try on the code. **Both blobs are written**: store them in one transaction with
/// compare-and-swap on each; the verdict is final only after both writes succeeded.
///
/// Returns, first that applies: `NULL_ARGUMENT`, `INVALID_ARGUMENT` (bad UTF-8, empty
/// `purpose` or `account_id`, `now` out of range, overlapping buffers), the token's statuses of
/// `pcodes_device_check` (`DEVICE_UNTRUSTED`, `UNKNOWN_KEY`, `DEVICE_REVOKED`, `EXPIRED`; nothing
/// written: drop the cookie and call `pcodes_otp_verify`; a damaged `device_state` is
/// `CORRUPT_STATE` before them), `CORRUPT_STATE` (`otp_state`; both unchanged), `LOCKED` / `BLOCKED` (the trusted lane: `pcodes_state_retry_at` on
/// `device_state`), then the statuses of `pcodes_otp_verify` after its lock; only `WRONG` counts.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_otp_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    purpose: *const c_char,
    code: *const c_char,
    token: *const c_char,
    now: u64,
    otp_state: *mut u8,
    otp_state_len: usize,
    device_state: *mut u8,
    device_state_len: usize,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs).
        let (c, account, p, code, t) = unsafe {
            (
                ctx_ref(ctx)?,
                text(account_id, arg!(account_id))?,
                text(purpose, arg!(purpose))?,
                text(code, arg!(code))?,
                text(token, arg!(token))?,
            )
        };
        no_overlap!(
            writes: [
                otp_state: region_of_state(otp_state, otp_state_len),
                device_state: region_of_state(device_state, device_state_len),
            ],
            reads: [
                ctx: region_of(ctx),
                account_id: region_of_text(account),
                purpose: region_of_text(p),
                code: region_of_text(code),
                token: region_of_text(t),
            ],
        )?;
        // SAFETY: caller passes two readable and writable blobs of their lengths, disjoint from
        // each other and the inputs (checked above).
        let (st, dev) = unsafe {
            two_blobs((otp_state, otp_state_len, OTP_ARG, OTP_LEN), (device_state, device_state_len))
        }?;
        device::otp_verify(c, account, p, code, t, now, st, dev)
    })
}

const OTP_LEN: &CStr = c"otp_state_len: must be PCODES_STATE_BYTES (64)";

/// Issues (or re-issues) an SMS/e-mail code for `purpose` to the holder of a trusted device, as
/// `pcodes_otp_issue` does on `otp_state`, while `otp_state`'s own lockout (the untrusted lane)
/// may be locked or blocked by someone else's guesses: checks `token` against `device_state`
/// (read, not written) and gates on the trusted lane's lock instead. The resend limits of
/// `otp_state` (`OTP_RESEND_SECONDS`, `OTP_MAX_SENDS_PER_HOUR`) hold in both lanes. Only
/// `otp_state` is written: store it with compare-and-swap, then send the code.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT`, `BUFFER_TOO_SMALL` (checked before anything is
/// drawn; `PCODES_OTP_CODE_BYTES` suffices), the token's statuses (nothing written),
/// `CORRUPT_STATE`, `LOCKED` / `BLOCKED` (the trusted lane), `TOO_SOON`, `RNG_FAILURE`, `OK`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_otp_issue(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    purpose: *const c_char,
    token: *const c_char,
    now: u64,
    otp_state: *mut u8,
    otp_state_len: usize,
    device_state: *const u8,
    device_state_len: usize,
    code_out: *mut c_char,
    code_out_len: usize,
) -> pcodes_status {
    const OUT: &Arg = arg!(code_out, code_out_len, "see PCODES_OTP_CODE_BYTES");
    boundary(|| {
        // SAFETY: caller passes a live context and NUL-terminated strings (or NULLs).
        let (c, account, p, t) = unsafe {
            (
                ctx_ref(ctx)?,
                text(account_id, arg!(account_id))?,
                text(purpose, arg!(purpose))?,
                text(token, arg!(token))?,
            )
        };
        let out = OutBuf::new(code_out, code_out_len, OUT)?;
        // SAFETY: caller passes a readable blob of `device_state_len` bytes (or NULL).
        let dev = unsafe { named_blob(device_state, device_state_len, DEV_ARG, DEVICE_LEN) }?;
        no_overlap!(
            writes: [otp_state: region_of_state(otp_state, otp_state_len), code_out: out.region()],
            reads: [
                ctx: region_of(ctx),
                account_id: region_of_text(account),
                purpose: region_of_text(p),
                token: region_of_text(t),
                device_state: region_of_bytes(dev),
            ],
        )?;
        out.room(crate::otp::code_len(c) + 1)?;
        // SAFETY: caller passes a readable and writable blob of `otp_state_len` bytes, disjoint
        // from the other arguments (checked above).
        let st = unsafe { named_blob_mut(otp_state, otp_state_len, OTP_ARG, OTP_LEN) }?;
        let code = device::otp_issue(c, account, p, t, now, st, dev)?;
        // SAFETY: `code_out_len` writable bytes, disjoint from the inputs (checked above).
        unsafe { out.put(code.as_str()) }
    })
}

/// The body of `pcodes_device_totp_verify` and `pcodes_device_hotp_verify`: [`trusted_code`] with
/// the flow's blob and output named as the header names them (in a refusal's detail).
macro_rules! trusted_code {
    ($state:ident, $state_len:ident, $out:ident, $ids:expr, $code:expr, $device:expr, $verify:expr) => {{
        const ST: (&Arg, &CStr) = (
            arg!($state, $state_len),
            $crate::ffi::detail(concat!(stringify!($state_len), ": must be PCODES_STATE_BYTES (64)\0")),
        );
        // SAFETY: forwarded caller contract.
        unsafe {
            trusted_code(
                $ids,
                $code,
                ($state, $state_len, ST),
                $device,
                $out,
                |([st, d, v], [c, a, s, code, t]): TrustedRegions| {
                    no_overlap!(
                        writes: [$state: st, device_state: d, $out: v],
                        reads: [ctx: c, account_id: a, secret: s, code: code, token: t],
                    )
                },
                $verify,
            )
        }
    }};
}

/// Verifies a TOTP `code` from a trusted device: checks `token` against `device_state`, then
/// scans the window exactly as `pcodes_totp_verify` does on `totp_state` (same `secret`,
/// `algorithm`, `digits`, `period`; writes the drift to `drift_out` unless NULL), but gates and
/// counts in the device blob (the trusted lane) instead of `totp_state`'s lockout, which is
/// neither checked nor changed. `totp_state` keeps its replay protection: a step accepted in
/// either lane is `ALREADY_USED` in the other. **Both blobs are written**: store them in one
/// transaction with compare-and-swap on each; the verdict is final only after both writes
/// succeeded.
///
/// Returns `NULL_ARGUMENT`, `INVALID_ARGUMENT` (also the secret, algorithm, digits, period),
/// the token's statuses (nothing written), `CORRUPT_STATE` (both unchanged), `LOCKED` / `BLOCKED`
/// (the trusted lane), `MISTYPED`, `ALREADY_USED` (not counted), `WRONG` (counted), `OK`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_totp_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    period: u32,
    code: *const c_char,
    token: *const c_char,
    now: u64,
    totp_state: *mut u8,
    totp_state_len: usize,
    device_state: *mut u8,
    device_state_len: usize,
    drift_out: *mut i32,
) -> pcodes_status {
    trusted_code!(
        totp_state,
        totp_state_len,
        drift_out,
        (ctx, account_id, token),
        (secret, secret_len, code),
        (device_state, device_state_len),
        |c, a, s, code, t, st, dev| {
            let p = super::totp::params(algorithm, digits, period)?;
            device::totp_verify(c, a, s, &p, code, t, now, st, dev)
        }
    )
}

/// Verifies a HOTP `code` from a trusted device: checks `token` against `device_state`, then
/// scans the look-ahead exactly as `pcodes_hotp_verify_counter` does on `hotp_state` (writes
/// the matched counter to `counter_out` unless NULL), but gates and counts in the device blob
/// (the trusted lane) instead of `hotp_state`'s lockout, which is neither checked nor changed.
/// A counter accepted in either lane is not accepted again in the other. **Both blobs are
/// written**: store them in one transaction with compare-and-swap on each; the verdict is final
/// only after both writes succeeded.
///
/// Returns as `pcodes_device_totp_verify`.
#[allow(clippy::too_many_arguments)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_device_hotp_verify(
    ctx: *const pcodes_ctx,
    account_id: *const c_char,
    secret: *const u8,
    secret_len: usize,
    algorithm: pcodes_algorithm,
    digits: u32,
    code: *const c_char,
    token: *const c_char,
    now: u64,
    hotp_state: *mut u8,
    hotp_state_len: usize,
    device_state: *mut u8,
    device_state_len: usize,
    counter_out: *mut u64,
) -> pcodes_status {
    trusted_code!(
        hotp_state,
        hotp_state_len,
        counter_out,
        (ctx, account_id, token),
        (secret, secret_len, code),
        (device_state, device_state_len),
        |c, a, s, code, t, st, dev| {
            let alg = crate::totp::Algorithm::from_id(algorithm)?;
            device::hotp_verify(c, a, s, alg, digits, code, t, now, st, dev)
        }
    )
}

type Blob<'a> = &'a mut [u8; crate::STATE_BYTES];
/// The regions of a trusted TOTP/HOTP call: written (the flow's blob, `device_state`, the value
/// out), read (`ctx`, `account_id`, `secret`, `code`, `token`).
type TrustedRegions = ([Region; 3], [Region; 5]);

/// The body of the trusted TOTP/HOTP calls: arguments converted, overlaps refused, `verify`
/// called, its value written to `value_out` (NULL allowed).
///
/// # Safety
/// The C functions' contract: a live context, NUL-terminated strings, `secret_len` readable
/// bytes, two readable and writable blobs of their lengths, `value_out` NULL or writable.
#[allow(clippy::type_complexity)]
unsafe fn trusted_code<T>(
    (ctx, account_id, token): (*const pcodes_ctx, *const c_char, *const c_char),
    (secret, secret_len, code): (*const u8, usize, *const c_char),
    (state, state_len, (st_arg, st_bad)): (*mut u8, usize, (&Arg, &'static CStr)),
    (device_state, device_state_len): (*mut u8, usize),
    value_out: *mut T,
    overlap: impl FnOnce(TrustedRegions) -> crate::Result<()>,
    verify: impl FnOnce(&Context, &str, &[u8], &str, &str, Blob<'_>, Blob<'_>) -> crate::Result<T>,
) -> pcodes_status {
    boundary(|| {
        // SAFETY: caller passes a live context, NUL-terminated strings and `secret_len`
        // readable bytes (or NULLs).
        let (c, account, s, code, t) = unsafe {
            (
                ctx_ref(ctx)?,
                text(account_id, arg!(account_id))?,
                bytes(secret, secret_len, arg!(secret, secret_len))?,
                text(code, arg!(code))?,
                text(token, arg!(token))?,
            )
        };
        overlap((
            [
                region_of_state(state, state_len),
                region_of_state(device_state, device_state_len),
                region_of(value_out),
            ],
            [
                region_of(ctx),
                region_of_text(account),
                region_of_bytes(s),
                region_of_text(code),
                region_of_text(t),
            ],
        ))?;
        // SAFETY: caller passes two readable and writable blobs of their lengths, disjoint from
        // each other and the inputs (checked above).
        let (st, dev) =
            unsafe { two_blobs((state, state_len, st_arg, st_bad), (device_state, device_state_len)) }?;
        let value = verify(c, account, s, code, t, st, dev)?;
        // SAFETY: NULL is allowed and checked by `as_mut`; otherwise valid for a write of `T`,
        // disjoint from the other arguments (checked above).
        if let Some(v) = unsafe { value_out.as_mut() } {
            *v = value;
        }
        Ok(())
    })
}

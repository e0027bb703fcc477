//! The C ABI (feature `capi`), described by `include/portal_codes.h`.
//!
//! One module per type family (`status`, `ctx`, `state`, and one per flow). Every exported
//! function body runs inside `boundary`, which catches panics (reported as
//! `PCODES_STATUS_INTERNAL`) so that no unwinding ever crosses into C. Pointer arguments are
//! turned into references only by the helpers below, each of which checks for NULL first; this
//! module tree is the only place in the crate with `unsafe`.
#![allow(non_camel_case_types, clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref)]

use core::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{Error, Result};
use crate::state::STATE_BYTES;

pub mod ctx;
pub mod link;
pub mod otp;
pub mod pin;
pub mod state;
pub mod status;
pub mod totp;

pub use ctx::pcodes_ctx;

/// Status returned by every function (`PCODES_STATUS_*`).
pub type pcodes_status = i32;

/// Runs an exported function's body: `Ok` is `PCODES_STATUS_OK`, an error its status, a panic
/// `PCODES_STATUS_INTERNAL`.
pub(crate) fn boundary(body: impl FnOnce() -> Result<()>) -> pcodes_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => status::PCODES_STATUS_OK,
        Ok(Err(e)) => e.code(),
        Err(_) => Error::Internal.code(),
    }
}

/// A required NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn text<'a>(p: *const c_char) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::NullArgument);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|_| Error::InvalidArgument)
}

/// An optional string argument: NULL is `None`.
///
/// # Safety
/// As [`text`].
pub(crate) unsafe fn opt_text<'a>(p: *const c_char) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded caller contract.
        unsafe { text(p) }.map(Some)
    }
}

/// A required binary input `(ptr, len)`.
///
/// # Safety
/// `p` is NULL or valid for reads of `len` bytes for the call.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize) -> Result<&'a [u8]> {
    if p.is_null() {
        return Err(Error::NullArgument);
    }
    // SAFETY: non-NULL and valid for `len` bytes by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A required output buffer `(ptr, len)`.
///
/// # Safety
/// `p` is NULL or valid for writes of `len` bytes for the call, and not aliased.
pub(crate) unsafe fn bytes_mut<'a>(p: *mut u8, len: usize) -> Result<&'a mut [u8]> {
    if p.is_null() {
        return Err(Error::NullArgument);
    }
    // SAFETY: non-NULL, valid for `len` bytes and unaliased by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts_mut(p, len) })
}

/// A required out-parameter.
///
/// # Safety
/// `p` is NULL or valid for a write of `T` for the call.
pub(crate) unsafe fn out<'a, T>(p: *mut T) -> Result<&'a mut T> {
    // SAFETY: `as_mut` checks NULL; validity is the caller's contract.
    unsafe { p.as_mut() }.ok_or(Error::NullArgument)
}

/// Writes `s` NUL-terminated into `(out, out_len)`; too small a buffer is left untouched.
///
/// # Safety
/// `out` is NULL or valid for writes of `out_len` bytes.
#[allow(dead_code)] // used by the flow modules
pub(crate) unsafe fn write_text(out: *mut c_char, out_len: usize, s: &str) -> Result<()> {
    if out.is_null() {
        return Err(Error::NullArgument);
    }
    let n = s.len();
    if n >= out_len {
        return Err(Error::BufferTooSmall);
    }
    // SAFETY: `out` is valid for `out_len > n` bytes; the source is a distinct Rust string.
    unsafe {
        core::ptr::copy_nonoverlapping(s.as_ptr(), out.cast::<u8>(), n);
        *out.add(n) = 0;
    }
    Ok(())
}

/// A state blob `(state, state_len)` as the fixed-size array every flow takes.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of `len` bytes, and not aliased.
#[allow(dead_code)] // used by the flow modules
pub(crate) unsafe fn state_blob<'a>(p: *mut u8, len: usize) -> Result<&'a mut [u8; STATE_BYTES]> {
    // SAFETY: forwarded caller contract.
    let s = unsafe { bytes_mut(p, len) }?;
    s.try_into().map_err(|_| Error::CorruptState)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_maps_results_and_panics() {
        assert_eq!(boundary(|| Ok(())), 0);
        assert_eq!(boundary(|| Err(Error::Expired)), 202);
        assert_eq!(boundary(|| panic!("boom")), 900);
    }

    #[test]
    fn helpers_check_null_utf8_and_sizes() {
        // SAFETY: all pointers below are NULL or point to live locals of the stated size.
        unsafe {
            assert_eq!(text(core::ptr::null()), Err(Error::NullArgument));
            assert_eq!(text(c"ok".as_ptr()), Ok("ok"));
            let bad = [0xffu8, 0];
            assert_eq!(text(bad.as_ptr().cast()), Err(Error::InvalidArgument));
            assert_eq!(opt_text(core::ptr::null()), Ok(None));
            let mut buf = [7u8; 3];
            assert_eq!(write_text(buf.as_mut_ptr().cast(), 3, "abc"), Err(Error::BufferTooSmall));
            assert_eq!(buf, [7; 3], "untouched");
            write_text(buf.as_mut_ptr().cast(), 3, "ab").unwrap();
            assert_eq!(buf, *b"ab\0");
            let mut st = [0u8; 65];
            assert!(state_blob(st.as_mut_ptr(), 64).is_ok());
            assert_eq!(state_blob(st.as_mut_ptr(), 65).err(), Some(Error::CorruptState));
            assert_eq!(state_blob(core::ptr::null_mut(), 64).err(), Some(Error::NullArgument));
        }
    }
}

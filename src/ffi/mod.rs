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
mod utf8;

pub use ctx::pcodes_ctx;

/// Status returned by every function (`PCODES_STATUS_*`).
pub type pcodes_status = i32;

/// Runs an exported function's body: `Ok` is `PCODES_STATUS_OK`, an error its status, a panic
/// `PCODES_STATUS_INTERNAL`.
#[inline(always)]
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
#[inline(always)]
pub(crate) unsafe fn text<'a>(p: *const c_char) -> Result<&'a str> {
    if p.is_null() {
        return Err(Error::NullArgument);
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract; the length is found by the
    // C library's `strlen` and the slice ends before the NUL.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    // SAFETY: `bytes` is the text of a C string, so the byte after it (the NUL) is readable.
    if unsafe { utf8::is_short_utf8_cstr(bytes) } || utf8::is_utf8(bytes) {
        // SAFETY: both checks accept only valid UTF-8 (see `utf8`; the fast one is compared with
        // `core::str::from_utf8` by its tests, exhaustively up to three bytes and at every
        // length, alignment and position up to 48 bytes).
        Ok(unsafe { core::str::from_utf8_unchecked(bytes) })
    } else {
        Err(Error::InvalidArgument)
    }
}

/// An optional string argument: NULL is `None`.
///
/// # Safety
/// As [`text`].
#[inline(always)]
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

    /// The reference: what `text` returned before its fast paths.
    fn reference(bytes: &[u8]) -> Result<&str> {
        core::str::from_utf8(bytes).map_err(|_| Error::InvalidArgument)
    }

    /// `text` of `bytes` placed at `offset` in a buffer (for every alignment), NUL-terminated
    /// and followed by junk that must not be read as part of the string.
    fn check_text(bytes: &[u8], offset: usize) {
        let mut buf = std::vec![0xffu8; offset + bytes.len() + 9];
        buf[offset..offset + bytes.len()].copy_from_slice(bytes);
        buf[offset + bytes.len()] = 0;
        // SAFETY: the pointer is inside `buf`, and a NUL follows the string within it.
        let got = unsafe { text(buf.as_ptr().add(offset).cast()) };
        assert_eq!(got, reference(bytes), "{bytes:02x?} at offset {offset}");
    }

    /// ASCII, Cyrillic, three- and four-byte characters, invalid sequences at every position,
    /// every length from 0 to 48 and every alignment: `text` gives what `from_utf8` gives.
    #[test]
    fn text_scanner_cases() {
        let samples: [&[u8]; 14] = [
            b"",
            b"ABCDE-FGHJK-MNPQR-STVWX-YZ012",
            "Иванова Мария Петровна".as_bytes(),
            "Ж".as_bytes(),
            "a\u{a0}b".as_bytes(),
            "дефис\u{2010}тире\u{2014}".as_bytes(),
            "𝔘nicode 😀".as_bytes(),
            &[0xc3, 0x28],
            &[0xc0, 0x80],
            &[0xe0, 0x80, 0x80],
            &[0xed, 0xa0, 0x80],
            &[0xf4, 0x90, 0x80, 0x80],
            &[b'a', 0xd0],
            &[0x80, b'a'],
        ];
        for s in samples {
            for offset in 0..8 {
                check_text(s, offset);
            }
        }
        // Every length (the NUL at every position of an 8-byte word) and every alignment, with
        // a one- or two-byte character or an invalid byte at every position.
        let fill = "я".repeat(25);
        for len in 0..=48 {
            for offset in 0..8 {
                let ascii: std::vec::Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                check_text(&ascii, offset);
                check_text(&fill.as_bytes()[..len], offset); // odd lengths cut a character
                for at in 0..len {
                    for bad in [0x80, 0xc1, 0xd0, 0xe2, 0xff] {
                        let mut v = ascii.clone();
                        v[at] = bad;
                        check_text(&v, offset);
                    }
                    let mut v = fill.as_bytes()[..len & !1].to_vec();
                    if at < v.len() {
                        v[at] = b'x';
                        check_text(&v, offset);
                    }
                }
            }
        }
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

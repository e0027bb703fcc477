//! The C ABI (feature `capi`), described by `include/portal_codes.h`.
//!
//! One module per type family: `status`, `version`, `ctx`, `state`, one per flow (`link`, `otp`, `pin`,
//! `totp`, `recovery`, `device`), `pin_generate` (PINs the portal issues, beside `pin` for size), `enrol`
//! (authenticator-app enrolment) and `base32`. Every exported
//! function body runs inside `boundary`, which catches panics (reported as
//! `PCODES_STATUS_INTERNAL`) so that no unwinding ever crosses into C. Pointer arguments are
//! turned into references only by the helpers below, each of which checks for NULL first; this
//! module tree is the only place in the crate with `unsafe`. A body converts its arguments with
//! those helpers, checks `no_overlap!`, calls the Rust API and returns its result: any rule that
//! needs to know the flow is a function of the flow's module. Each helper is given the
//! argument's header name (`arg!(pin)`), so that every refusal records a developer detail such
//! as `"pin: NULL"` (`crate::diag`; the rule is in docs/c-api.md, "Developer details").
//!
//! **No overlap.** Memory a function writes (an output buffer, a state blob, an out-parameter, the
//! context for `pcodes_ctx_add_key`) must not overlap any other memory the same call reads or
//! writes: input buffers, strings (with their terminating NUL, so `strlen + 1` bytes), the
//! `pcodes_child` struct and its strings, the state blob, the context, other out-parameters.
//! Inputs may overlap each other (the same string as PIN and confirmation is fine). A call that
//! breaks the rule returns `PCODES_STATUS_INVALID_ARGUMENT` and writes nothing: it never works
//! in place, and never returns `OK` with output computed from half-overwritten input. Every
//! exported function checks it with `no_overlap!` before it makes a reference to, or writes,
//! any output; regions are those declared by the caller (`out_len`, `state_len`, the size of the
//! pointed-to type), and zero-length or NULL regions overlap nothing.
#![allow(non_camel_case_types, clippy::missing_safety_doc, clippy::not_unsafe_ptr_arg_deref)]

use core::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{Error, Result};
use crate::state::STATE_BYTES;

/// The developer details for one C argument (see `crate::diag`), made at compile time by
/// `arg!(name)` (a string or out-parameter), `arg!(name, name_len)` (a buffer and its length) or
/// `arg!(name, name_len, "see PCODES_…_BYTES")` (an output and its length, with the size to
/// use): `"name: NULL"`, `"name: not UTF-8"`, `"name_len: too small, see PCODES_…_BYTES"`,
/// `"name_len: above PTRDIFF_MAX, …"`. The names are the parameters' names in the header (a
/// test checks every detail against the header).
pub(crate) struct Arg {
    /// `"<name>: NULL"`.
    pub(crate) null: &'static CStr,
    /// `"<name>: not UTF-8"`.
    pub(crate) utf8: &'static CStr,
    /// `"<name>_len: too small, …"` (outputs only).
    pub(crate) small: &'static CStr,
    /// `"<name>_len: above PTRDIFF_MAX, …"` (buffers only).
    pub(crate) long: &'static CStr,
}

/// `arg!(pin)`: the [`Arg`] of a string or out-parameter; `arg!(key, key_len)`: of a buffer
/// whose size is `key_len`; `arg!(out, out_len, "see PCODES_TOTP_URI_BYTES")`: of an output
/// whose size is `out_len`, telling the developer what size suffices.
macro_rules! arg {
    ($name:ident) => {
        $crate::ffi::arg!(@ $name,
            concat!(stringify!($name), ": (not an output)\0"),
            concat!(stringify!($name), ": (no length)\0"))
    };
    ($name:ident, $len:ident) => {
        $crate::ffi::arg!(@ $name,
            concat!(stringify!($name), ": (not an output)\0"),
            concat!(stringify!($len), ": above PTRDIFF_MAX, not the length of a buffer\0"))
    };
    ($name:ident, $len:ident, $see:literal) => {
        $crate::ffi::arg!(@ $name,
            concat!(stringify!($len), ": too small, ", $see, "\0"),
            concat!(stringify!($len), ": above PTRDIFF_MAX, not the length of a buffer\0"))
    };
    (@ $name:ident, $small:expr, $long:expr) => {{
        const ARG: &$crate::ffi::Arg = &$crate::ffi::Arg {
            null: $crate::ffi::detail(concat!(stringify!($name), ": NULL\0")),
            utf8: $crate::ffi::detail(concat!(stringify!($name), ": not UTF-8\0")),
            small: $crate::ffi::detail($small),
            long: $crate::ffi::detail($long),
        };
        ARG
    }};
}
pub(crate) use arg;

/// `writes_disjoint` with the arguments' header names, so that an overlap records which two
/// arguments overlap (`"code_out: overlaps state; …"`, a static made at compile time):
/// `no_overlap!(writes: [state: region_of_state(state, state_len)], reads: [ctx: region_of(ctx)])`.
macro_rules! no_overlap {
    (writes: [$($w:ident: $wr:expr),+ $(,)?], reads: [$($r:ident: $rr:expr),* $(,)?] $(,)?) => {{
        const NAMES: &[&str] = &[$(stringify!($w)),+ $(, stringify!($r))*];
        const WRITES: usize = [$(stringify!($w)),+].len();
        static DETAILS: [[$crate::ffi::Detail; NAMES.len()]; WRITES] =
            $crate::ffi::overlap_details(NAMES);
        $crate::ffi::named_writes_disjoint(&[$($wr),+], &[$($rr),*], &DETAILS)
    }};
}

// cbindgen writes the header module by module in the order below. `enrol` and `base32` were
// split out of `totp` and stay after it (each in a group of its own, so that rustfmt keeps them
// there), which keeps the header in its old order apart from the TOTP/HOTP code functions.
pub mod ctx;
pub mod link;
pub mod otp;
pub mod pin;
pub mod pin_generate;
pub mod recovery;
pub mod state;
pub mod status;
pub mod totp;
mod utf8;
pub mod version;

pub mod enrol;

pub mod base32;

pub mod pepper;

pub mod device;
pub mod device_lanes;

#[cfg(test)]
mod detail_tests;
#[cfg(test)]
mod tables;
#[cfg(test)]
pub(crate) mod test_support;

pub use ctx::pcodes_ctx;

/// Status returned by every function (`PCODES_STATUS_*`).
pub type pcodes_status = i32;

/// Runs an exported function's body: `Ok` is `PCODES_STATUS_OK`, an error its status, a panic
/// `PCODES_STATUS_INTERNAL`. The thread's developer detail (`crate::diag`) is cleared first, so
/// that afterwards it describes this call only.
#[inline(always)]
pub(crate) fn boundary<F: FnOnce() -> Result<()>>(body: F) -> pcodes_status {
    crate::diag::clear();
    let result = catch(body);
    // A verdict about a code or PIN never carries a detail, even when the flow noted one on a
    // path it then left (e.g. a child whose data no longer parses: `DATA_CHANGED`).
    if let Err(e) = result
        && e.class() == crate::error::StatusClass::Verdict
    {
        crate::diag::clear();
    }
    let status = status_of(result);
    // Unit tests check every status that leaves a C function (see `test_support`).
    #[cfg(test)]
    test_support::check_detail(core::any::type_name::<F>(), status);
    status
}

/// [`boundary`] without clearing the developer detail: for the functions a host calls to
/// describe a failure (`pcodes_status_message`), which must not erase it.
#[inline(always)]
pub(crate) fn catch_status(body: impl FnOnce() -> Result<()>) -> pcodes_status {
    status_of(catch(body))
}

/// Runs `body`, a panic becoming [`Error::Internal`] (with its developer detail).
#[inline(always)]
fn catch(body: impl FnOnce() -> Result<()>) -> Result<()> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(Error::Internal.because(c"internal: a bug was caught at the C boundary; please report it"))
    })
}

/// The C status of a result.
#[inline(always)]
fn status_of(result: Result<()>) -> pcodes_status {
    result.map_or_else(Error::code, |()| status::PCODES_STATUS_OK)
}

/// A memory region `(start, length in bytes)` a call reads or writes, for [`no_overlap!`].
pub(crate) type Region = (*const u8, usize);

/// No memory (an absent optional input).
pub(crate) const EMPTY_REGION: Region = (core::ptr::null(), 0);

/// The region of a pointed-to value of type `T` (an out-parameter, a struct, the context).
#[inline(always)]
pub(crate) fn region_of<T>(p: *const T) -> Region {
    (p.cast(), core::mem::size_of::<T>())
}

/// The region of a C string returned by [`text`]: its bytes and the terminating NUL.
#[inline(always)]
pub(crate) fn region_of_text(s: &str) -> Region {
    (s.as_ptr(), s.len() + 1)
}

/// The region of an input slice.
#[inline(always)]
pub(crate) fn region_of_bytes(s: &[u8]) -> Region {
    (s.as_ptr(), s.len())
}

/// The region of a state blob `(state, state_len)`. A blob of the wrong length is refused
/// (`CORRUPT_STATE`) before anything is read or written, so it is an empty region here.
#[inline(always)]
pub(crate) fn region_of_state(p: *mut u8, len: usize) -> Region {
    if len == STATE_BYTES { (p.cast_const(), len) } else { (core::ptr::null(), 0) }
}

/// As [`region_of_text`]; `None` (a NULL optional string) is an empty region.
#[inline(always)]
pub(crate) fn region_of_opt_text(s: Option<&str>) -> Region {
    s.map_or(EMPTY_REGION, region_of_text)
}

/// `Err(InvalidArgument)` if `(a, a_len)` and `(b, b_len)` share a byte. NULL and zero-length
/// regions share none. Only addresses are compared; nothing is dereferenced.
#[inline(always)]
pub(crate) fn disjoint(a: *const u8, a_len: usize, b: *const u8, b_len: usize) -> Result<()> {
    if a.is_null() || b.is_null() || a_len == 0 || b_len == 0 {
        return Ok(());
    }
    let (a, b) = (a.addr(), b.addr());
    if a < b.saturating_add(b_len) && b < a.saturating_add(a_len) {
        Err(Error::InvalidArgument)
    } else {
        Ok(())
    }
}

/// The first pair `(write, other)` that breaks the no-overlap rule of the module doc: every
/// region in `writes` is disjoint from every other region in `writes` and from every region in
/// `reads` (reads may overlap each other). `other` counts the writes first, then the reads.
#[inline(always)]
fn first_overlap(writes: &[Region], reads: &[Region]) -> Option<(usize, usize)> {
    // Plain index loops: `chain(..).enumerate().skip(..)` did not optimise away (it showed in
    // profiles of the C calls as `Enumerate::nth`).
    for (i, &(w, wl)) in writes.iter().enumerate() {
        for (j, &(o, ol)) in writes.iter().enumerate().skip(i + 1) {
            if disjoint(w, wl, o, ol).is_err() {
                return Some((i, j));
            }
        }
        for (k, &(o, ol)) in reads.iter().enumerate() {
            if disjoint(w, wl, o, ol).is_err() {
                return Some((i, writes.len() + k));
            }
        }
    }
    None
}

/// The no-overlap rule of the module doc, without a detail (see [`no_overlap!`]).
#[cfg(test)]
pub(crate) fn writes_disjoint(writes: &[Region], reads: &[Region]) -> Result<()> {
    first_overlap(writes, reads).map_or(Ok(()), |_| Err(Error::InvalidArgument))
}

/// What [`no_overlap!`] expands to: the no-overlap rule, recording `details[write][other]`.
#[inline(always)]
pub(crate) fn named_writes_disjoint<const N: usize>(
    writes: &[Region],
    reads: &[Region],
    details: &'static [[Detail; N]],
) -> Result<()> {
    match first_overlap(writes, reads) {
        None => Ok(()),
        Some((i, j)) => Err(Error::InvalidArgument.because(details[i][j].as_cstr())),
    }
}

/// A developer detail made at compile time: a NUL-terminated sentence in a fixed buffer.
pub(crate) struct Detail([u8; 128]);

impl Detail {
    fn as_cstr(&'static self) -> &'static CStr {
        CStr::from_bytes_until_nul(&self.0).unwrap_or(c"")
    }
}

/// `details[i][j]` = `"<names[i]>: overlaps <names[j]>; …"` for the `W` written arguments
/// (first in `names`) and all `N` arguments: run at compile time by [`no_overlap!`].
pub(crate) const fn overlap_details<const W: usize, const N: usize>(names: &[&str]) -> [[Detail; N]; W] {
    const TAIL: &str = "; no output may share memory with another argument";
    let mut table = [const { [const { Detail([0; 128]) }; N] }; W];
    let mut w = 0;
    while w < W {
        let mut other = 0;
        while other < N {
            let parts = [names[w], ": overlaps ", names[other], TAIL];
            let (mut at, mut part) = (0, 0);
            while part < parts.len() {
                let b = parts[part].as_bytes();
                let mut k = 0;
                while k < b.len() {
                    table[w][other].0[at] = b[k];
                    (at, k) = (at + 1, k + 1);
                }
                part += 1;
            }
            assert!(at < 128, "an overlap detail is longer than its buffer");
            other += 1;
        }
        w += 1;
    }
    table
}

/// `s` (one line ending in a NUL) as a C string, at compile time (used by [`arg!`]).
pub(crate) const fn detail(s: &'static str) -> &'static CStr {
    match CStr::from_bytes_with_nul(s.as_bytes()) {
        Ok(c) => c,
        Err(_) => panic!("a detail is one NUL-terminated line"),
    }
}

/// The region of a caller's buffer `(p, len)` (an output, before it is checked for NULL);
/// `Err(InvalidArgument)`, naming the length, for a length above `isize::MAX` (see
/// [`slice_len`]), so that such a length is refused as such rather than as an overlap.
#[inline(always)]
pub(crate) fn region_of_buf<T>(p: *mut T, len: usize, a: &Arg) -> Result<Region> {
    slice_len(len, a)?;
    Ok((p.cast_const().cast(), len))
}

/// `Err(NullArgument)`, with `a`'s detail, if `p` is NULL.
#[inline(always)]
pub(crate) fn non_null<T>(p: *const T, a: &Arg) -> Result<()> {
    if p.is_null() { Err(Error::NullArgument.because(a.null)) } else { Ok(()) }
}

/// `Err(InvalidArgument)`, with `a`'s detail naming the length, if `len` is above `isize::MAX`
/// (C's `PTRDIFF_MAX`): no buffer is that long, and a Rust slice may not be (`from_raw_parts`).
#[inline(always)]
pub(crate) fn slice_len(len: usize, a: &Arg) -> Result<()> {
    if isize::try_from(len).is_ok() { Ok(()) } else { Err(Error::InvalidArgument.because(a.long)) }
}

/// `Err(BufferTooSmall)`, with `a`'s detail, unless `needed` bytes fit in `len`.
#[inline(always)]
pub(crate) fn room(needed: usize, len: usize, a: &Arg) -> Result<()> {
    if needed <= len { Ok(()) } else { Err(Error::BufferTooSmall.because(a.small)) }
}

/// A required NUL-terminated UTF-8 string argument; `a` names it in the detail.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for the call.
#[inline(always)]
pub(crate) unsafe fn text<'a>(p: *const c_char, a: &Arg) -> Result<&'a str> {
    non_null(p, a)?;
    // SAFETY: non-NULL and NUL-terminated by the caller's contract; the length is found by the
    // C library's `strlen` and the slice ends before the NUL.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    utf8::str_of(bytes).ok_or_else(|| Error::InvalidArgument.because(a.utf8))
}

/// An optional string argument: NULL is `None`.
///
/// # Safety
/// As [`text`].
#[inline(always)]
pub(crate) unsafe fn opt_text<'a>(p: *const c_char, a: &Arg) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded caller contract.
        unsafe { text(p, a) }.map(Some)
    }
}

/// A required binary input `(ptr, len)`.
///
/// # Safety
/// `p` is NULL or valid for reads of `len` bytes for the call.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize, a: &Arg) -> Result<&'a [u8]> {
    non_null(p, a)?;
    slice_len(len, a)?;
    // SAFETY: non-NULL, valid for `len` bytes by the caller's contract, and `len` is at most
    // `isize::MAX` (checked above), as `from_raw_parts` requires.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A required output buffer `(ptr, len)`, text (`c_char`) or binary (`u8`), as bytes.
///
/// # Safety
/// `p` is NULL or valid for writes of `len` bytes for the call, and not aliased.
pub(crate) unsafe fn bytes_mut<'a, T: Byte>(p: *mut T, len: usize, a: &Arg) -> Result<&'a mut [u8]> {
    non_null(p, a)?;
    slice_len(len, a)?;
    // SAFETY: non-NULL, valid for `len` bytes and unaliased by the caller's contract; `T` is
    // one byte (`Byte`), and `len` is at most `isize::MAX` (checked above).
    Ok(unsafe { core::slice::from_raw_parts_mut(p.cast::<u8>(), len) })
}

/// The one-byte element types of C buffers (`uint8_t`, `char`). `c_char` is `i8` on x86-64 but
/// `u8` on aarch64 Linux, so the impls name `i8` and `u8`, which cover it on both (an impl for
/// `c_char` beside `u8` does not compile for aarch64).
pub(crate) trait Byte {}
impl Byte for u8 {}
impl Byte for i8 {}

/// A required out-parameter.
///
/// # Safety
/// `p` is NULL or valid for a write of `T` for the call.
pub(crate) unsafe fn out<'a, T>(p: *mut T, a: &Arg) -> Result<&'a mut T> {
    // SAFETY: `as_mut` checks NULL; validity is the caller's contract.
    unsafe { p.as_mut() }.ok_or_else(|| Error::NullArgument.because(a.null))
}

/// Writes `s` NUL-terminated into `out` (from [`bytes_mut`]); too small a buffer is left
/// untouched (`BufferTooSmall` with `a`'s detail).
pub(crate) fn put_text(out: &mut [u8], s: &str, a: &Arg) -> Result<()> {
    let n = s.len();
    room(n + 1, out.len(), a)?;
    out[..n].copy_from_slice(s.as_bytes());
    out[n] = 0;
    Ok(())
}

/// A required output buffer `(ptr, len)` checked for NULL once, before the other arguments,
/// and turned into a slice only after `no_overlap!` (for the functions whose contract checks it
/// first).
pub(crate) struct OutBuf {
    p: *mut u8,
    len: usize,
    arg: &'static Arg,
}

impl OutBuf {
    /// `Err(NullArgument)` for NULL, `Err(InvalidArgument)` for a length above `isize::MAX`;
    /// nothing is dereferenced.
    pub(crate) fn new<T: Byte>(p: *mut T, len: usize, arg: &'static Arg) -> Result<Self> {
        non_null(p, arg)?;
        slice_len(len, arg)?;
        Ok(Self { p: p.cast(), len, arg })
    }

    /// The memory it covers, for `no_overlap!`.
    pub(crate) fn region(&self) -> Region {
        (self.p.cast_const(), self.len)
    }

    /// `Err(BufferTooSmall)` unless `needed` bytes fit.
    pub(crate) fn room(&self, needed: usize) -> Result<()> {
        room(needed, self.len, self.arg)
    }

    /// Writes `s` NUL-terminated (too small a buffer is left untouched).
    ///
    /// # Safety
    /// The pointer is valid for writes of `len` bytes and no other live reference covers them
    /// (the caller checked the no-overlap rule).
    pub(crate) unsafe fn put(self, s: &str) -> Result<()> {
        // SAFETY: non-NULL and at most `isize::MAX` bytes (checked in `new`), valid and unaliased
        // by this function's contract.
        let o = unsafe { core::slice::from_raw_parts_mut(self.p, self.len) };
        put_text(o, s, self.arg)
    }
}

/// A state blob `(state, state_len)` as the fixed-size array every flow takes.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of `len` bytes, and not aliased.
pub(crate) unsafe fn state_blob<'a>(p: *mut u8, len: usize) -> Result<&'a mut [u8; STATE_BYTES]> {
    // SAFETY: forwarded caller contract.
    let s = unsafe { bytes_mut(p, len, arg!(state, state_len)) }?;
    s.try_into().map_err(|_| Error::CorruptState.because(c"state_len: must be PCODES_STATE_BYTES (64)"))
}

#[cfg(test)]
mod tests {
    use super::test_support::Scratch;
    use super::*;

    #[test]
    fn boundary_maps_results_and_panics() {
        use status::{PCODES_STATUS_EXPIRED, PCODES_STATUS_INTERNAL, PCODES_STATUS_OK};
        assert_eq!(boundary(|| Ok(())), PCODES_STATUS_OK);
        assert_eq!(boundary(|| Err(Error::Expired)), PCODES_STATUS_EXPIRED);
        assert_eq!(boundary(|| panic!("boom")), PCODES_STATUS_INTERNAL);
    }

    /// The reference: `text` gives exactly what `from_utf8` gives for the bytes before the NUL
    /// (what these cases check now is that it reads up to the NUL and never past it; they were
    /// written for the SSE2 scanner `text` used until issue 15).
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
        let got = unsafe { text(buf.as_ptr().add(offset).cast(), arg!(text_in)) };
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
    fn disjoint_compares_half_open_regions() {
        let b = [0u8; 32];
        let p = |i: usize| b.as_ptr().wrapping_add(i);
        assert_eq!(disjoint(p(0), 8, p(8), 8), Ok(()), "touching");
        assert_eq!(disjoint(p(8), 8, p(0), 8), Ok(()), "touching, other order");
        assert_eq!(disjoint(p(0), 9, p(8), 8), Err(Error::InvalidArgument), "one shared byte");
        assert_eq!(disjoint(p(8), 8, p(0), 9), Err(Error::InvalidArgument));
        assert_eq!(disjoint(p(4), 2, p(0), 32), Err(Error::InvalidArgument), "inside");
        assert_eq!(disjoint(p(0), 32, p(4), 2), Err(Error::InvalidArgument), "around");
        assert_eq!(disjoint(p(3), 1, p(3), 1), Err(Error::InvalidArgument), "same byte");
        assert_eq!(disjoint(p(4), 0, p(0), 32), Ok(()), "empty");
        assert_eq!(disjoint(core::ptr::null(), 32, p(0), 32), Ok(()), "NULL");
        assert_eq!(disjoint(p(0), usize::MAX, p(31), 1), Err(Error::InvalidArgument), "saturates");
        assert_eq!(writes_disjoint(&[(p(0), 4)], &[(p(4), 4), (p(4), 8)]), Ok(()), "reads may overlap");
        assert_eq!(writes_disjoint(&[(p(0), 4), (p(3), 4)], &[]), Err(Error::InvalidArgument), "two writes");
        assert_eq!(writes_disjoint(&[(p(0), 4)], &[(p(8), 4), (p(2), 1)]), Err(Error::InvalidArgument));
        assert_eq!(region_of_text("abc"), ("abc".as_ptr(), 4), "the NUL counts");
    }

    /// Every exported function that writes memory and reads other memory refuses an output that
    /// overlaps an input (or another output) with `INVALID_ARGUMENT`, never a wrong `OK`.
    #[test]
    // The scratch buffer is 8-byte aligned and every typed pointer into it is at a multiple of
    // its type's alignment.
    #[allow(clippy::too_many_lines, clippy::cast_ptr_alignment)]
    fn every_function_refuses_overlapping_buffers() {
        use super::base32::*;
        use super::ctx::*;
        use super::device::*;
        use super::device_lanes::*;
        use super::enrol::*;
        use super::link::*;
        use super::otp::*;
        use super::pin::*;
        use super::pin_generate::*;
        use super::recovery::*;
        use super::state::*;
        use super::status::{PCODES_STATUS_INVALID_ARGUMENT as INVALID, PCODES_STATUS_OK as OK};
        use super::totp::*;
        use core::ptr::{null, null_mut};

        const NOW: u64 = 1_750_000_000;
        let key = [7u8; 32];
        let mut ctx: *mut pcodes_ctx = null_mut();
        // SAFETY: every pointer is a live local, the context, or inside a scratch buffer, valid
        // for the sizes passed; the context is freed once at the end.
        unsafe {
            assert_eq!(pcodes_ctx_new(key.as_ptr(), 32, 1, &raw mut ctx), OK);
            assert_eq!(pcodes_ctx_set(ctx, PCODES_SETTING_PIN_ITERATIONS, 10_000), OK);
            let cctx = ctx.cast_const();

            // The context itself, before it is shared: its own memory as the key or output.
            let mut b = Scratch::new(64);
            let slot = b.put(0, &key).cast::<u8>();
            let mut out_ctx = b.at(8).cast::<*mut pcodes_ctx>();
            assert_eq!(pcodes_ctx_new(slot, 32, 1, out_ctx), INVALID, "ctx_out inside the key");
            // Issue 20: a refusal writes nothing (it used to write NULL over 8 bytes of the key).
            assert_eq!(b.bytes(0, 32), key, "the key is intact");
            out_ctx = b.at(32).cast();
            assert_eq!(pcodes_ctx_new(slot, 32, 1, out_ctx), OK, "touching the key is fine");
            pcodes_ctx_free(*out_ctx);
            assert_eq!(pcodes_ctx_add_key(ctx, ctx.cast::<u8>(), 32, 2), INVALID, "key inside the context");
            assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, ctx.cast()), INVALID);
            let mut v = 0u64;
            assert_eq!(pcodes_ctx_get(ctx, PCODES_SETTING_OTP_DIGITS, &raw mut v), OK);
            assert_eq!(v, 6, "the context is intact");
            let (mut d, mut hi) = (0u64, 0u64);
            assert_eq!(pcodes_setting_info(1, &raw mut d, &raw mut d, &raw mut hi), INVALID, "default = min");
            assert_eq!(pcodes_setting_info(1, &raw mut d, &raw mut hi, &raw mut hi), INVALID, "min = max");
            assert_eq!(
                pcodes_setting_info(1, &raw mut hi, &raw mut v, &raw mut hi),
                INVALID,
                "max = default"
            );
            assert_eq!((d, hi), (0, 0), "nothing written");

            // base32.
            let mut b = Scratch::new(64);
            let t = b.put(0, b"MZXW6YTBOI\0");
            let mut w = 0usize;
            assert_eq!(pcodes_base32_decode(t, b.at(4), 6, &raw mut w), INVALID, "out inside the text");
            assert_eq!(pcodes_base32_decode(t, b.at(10), 6, &raw mut w), INVALID, "out over the NUL");
            assert_eq!(pcodes_base32_decode(t, b.at(16), 6, b.at(0).cast()), INVALID, "written_out in text");
            assert_eq!(pcodes_base32_decode(t, b.at(16), 6, b.at(16).cast()), INVALID, "the two outputs");
            assert_eq!(pcodes_base32_decode(t, b.at(11), 6, &raw mut w), OK, "touching the NUL is fine");
            assert_eq!((b.bytes(11, 6), w), (b"foobar".to_vec(), 6));

            // TOTP / HOTP.
            assert_eq!(pcodes_totp_secret(ctx, ctx.cast(), 20), INVALID, "secret_out over the context");
            let mut b = Scratch::new(2048);
            let secret = b.put(0, b"12345678901234567890").cast::<u8>();
            assert_eq!(pcodes_totp_code(secret, 20, 1, 6, 30, NOW, b.at(12).cast(), 9), INVALID);
            assert_eq!(pcodes_hotp_code(secret, 20, 1, 6, 0, b.at(19).cast(), 9), INVALID);
            assert_eq!(pcodes_hotp_code(secret, 20, 1, 6, 0, b.at(20).cast(), 9), OK);
            assert_eq!(b.bytes(20, 7), b"755224\0");
            let iss = b.put(64, b"Portal\0");
            let acc = b.put(72, b"ivan\0");
            for (at, what) in [(0, "secret"), (64, "issuer"), (76, "account's NUL")] {
                assert_eq!(
                    pcodes_totp_uri(secret, 20, iss, acc, 1, 6, 30, b.at(at).cast(), 1024),
                    INVALID,
                    "{what}"
                );
            }
            assert_eq!(pcodes_totp_uri(secret, 20, iss, acc, 1, 6, 30, b.at(80).cast(), 1024), OK);
            let uri = b.at(80).cast_const().cast::<c_char>();
            assert_eq!(pcodes_totp_uri_parse(uri, b.at(80).cast()), INVALID, "enrolment over the URI");
            let mut e = core::mem::MaybeUninit::<pcodes_totp_enrolment>::zeroed().assume_init();
            assert_eq!(pcodes_totp_uri_parse(uri, &raw mut e), OK);
            let mut big = Scratch::new(PCODES_TOTP_QR_SVG_BYTES + 64);
            let qt = big.put(32, b"otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\0");
            assert_eq!(pcodes_totp_qr_svg(qt, big.at(0).cast(), PCODES_TOTP_QR_SVG_BYTES), INVALID);
            let code = b.put(1200, b"287082\0");
            let st = b.at(1280);
            for (state, drift, what) in [
                (b.at(8), null_mut(), "state over the secret"),
                (b.at(1200), null_mut(), "state over the code"),
                (ctx.cast::<u8>(), null_mut(), "state over the context"),
                (st, b.at(1300).cast::<i32>(), "drift_out in the state"),
                (st, b.at(1204).cast::<i32>(), "drift_out over the code"),
            ] {
                assert_eq!(
                    pcodes_totp_verify(ctx, secret, 20, 1, 6, 30, code, 59, state, 64, drift),
                    INVALID,
                    "{what}"
                );
            }
            assert_eq!(b.bytes(1280, 64), [0; 64], "the state was not written");
            assert_eq!(pcodes_hotp_verify(ctx, secret, 20, 1, 6, code, NOW, b.at(1176), 64), INVALID);
            assert_eq!(pcodes_hotp_verify(ctx, secret, 20, 1, 6, code, NOW, b.at(1136), 64), OK, "touching");
            let hst = b.at(1280);
            for (counter, what) in [
                (b.at(1288), "counter_out in the state"),
                (b.at(8), "counter_out over the secret"),
                (b.at(1200), "counter_out over the code"),
                (ctx.cast::<u8>(), "counter_out over the context"),
            ] {
                let n = counter.cast::<u64>();
                assert_eq!(
                    pcodes_hotp_verify_counter(ctx, secret, 20, 1, 6, code, NOW, hst, 64, n),
                    INVALID,
                    "{what}"
                );
            }
            assert_eq!(b.bytes(1280, 64), [0; 64], "the state was not written");
            let n = b.at(1344).cast::<u64>();
            assert_eq!(
                pcodes_hotp_verify_counter(ctx, secret, 20, 1, 6, code, NOW, hst, 64, n),
                OK,
                "touching"
            );
            assert_eq!(b.bytes(1344, 8), 1u64.to_ne_bytes(), "the counter of 287082");

            // Link codes: the child struct and its strings are inputs too.
            let mut b = Scratch::new(1024);
            let child = pcodes_child {
                full_name: b.put(0, "Иванов Иван Иванович\0".as_bytes()),
                birth_date: b.put(64, b"2015-03-08\0"),
                sex: b.put(80, b"M\0"),
                snils: b.put(88, b"112-233-445 95\0"),
            };
            let pc = b.at(128).cast::<pcodes_child>();
            pc.write(pcodes_child { ..child });
            assert_eq!(pcodes_child_check(pc, b.at(8).cast()), INVALID, "missing_out in the name");
            assert_eq!(pcodes_child_check(pc, b.at(136).cast()), INVALID, "missing_out in the struct");
            let st = b.at(256);
            for (state, out, what) in [
                (st, b.at(88), "code over the SNILS"),
                (b.at(64), b.at(512), "state over the birth date"),
                (st, b.at(300), "code in the state"),
                (st, b.at(150), "code over the struct"),
                (ctx.cast::<u8>(), b.at(512), "state over the context"),
            ] {
                assert_eq!(pcodes_link_issue(ctx, 7, pc, NOW, state, 64, out.cast(), 30), INVALID, "{what}");
            }
            assert_eq!(b.bytes(256, 64), [0; 64], "the state was not written");
            assert_eq!(pcodes_link_issue(ctx, 7, pc, NOW, st, 64, b.at(512).cast(), 30), OK);
            let lc = b.at(512).cast_const().cast::<c_char>();
            assert_eq!(pcodes_link_parse(lc, b.at(520).cast()), INVALID, "record id over the code");
            assert_eq!(pcodes_link_redeem(ctx, lc, pc, NOW, b.at(480), 64), INVALID, "state over the code");
            assert_eq!(pcodes_link_redeem(ctx, lc, pc, NOW, b.at(80), 64), INVALID, "state over the child");
            assert_eq!(pcodes_link_redeem(ctx, lc, pc, NOW, st, 64), OK, "the code is still good");

            // SMS / e-mail codes.
            let mut b = Scratch::new(256);
            let purpose = b.put(0, b"login\0");
            let st = b.at(64);
            assert_eq!(pcodes_otp_issue(ctx, purpose, NOW, b.at(0), 64, b.at(128).cast(), 9), INVALID);
            assert_eq!(pcodes_otp_issue(ctx, purpose, NOW, st, 64, b.at(2).cast(), 9), INVALID);
            assert_eq!(pcodes_otp_issue(ctx, purpose, NOW, st, 64, b.at(120).cast(), 9), INVALID, "in state");
            assert_eq!(b.bytes(64, 64), [0; 64], "nothing issued");
            assert_eq!(pcodes_otp_issue(ctx, purpose, NOW, st, 64, b.at(128).cast(), 9), OK);
            let oc = b.at(128).cast_const().cast::<c_char>();
            assert_eq!(
                pcodes_otp_verify(ctx, purpose, oc, NOW, b.at(100), 64),
                INVALID,
                "state over the code"
            );
            assert_eq!(pcodes_otp_verify(ctx, purpose, oc, NOW, st, 64), OK);

            // PINs.
            let mut b = Scratch::new(1024);
            let acct = b.put(0, b"account-1\0");
            let pin = b.put(16, b"385027\0");
            let mut r = 77i32;
            assert_eq!(pcodes_pin_check_reason(ctx, pin, pin, null(), b.at(16).cast()), INVALID);
            assert_eq!(b.bytes(16, 7), b"385027\0", "the PIN was not overwritten");
            assert_eq!(
                pcodes_pin_check_reason(ctx, pin, pin, null(), &raw mut r),
                0,
                "same string twice is fine"
            );
            assert_eq!(r, PCODES_PIN_WEAK_NONE);
            assert_eq!(pcodes_pin_hash(ctx, acct, pin, b.at(8).cast(), 128), INVALID, "out over the account");
            assert_eq!(pcodes_pin_hash(ctx, acct, pin, b.at(24).cast(), 128), OK);
            let stored = b.at(24).cast_const().cast::<c_char>();
            let st = b.at(256);
            for f in [pcodes_pin_verify, pcodes_pin_verify_begin, pcodes_pin_verify_finish] {
                assert_eq!(f(ctx, acct, pin, stored, NOW, b.at(40), 64), INVALID, "state over the hash");
                assert_eq!(f(ctx, acct, pin, stored, NOW, ctx.cast(), 64), INVALID, "state over the context");
            }
            assert_eq!(b.bytes(256, 64), [0; 64]);
            assert_eq!(pcodes_pin_verify_compute(ctx, acct, pin, stored, b.at(3).cast()), INVALID);
            assert_eq!(pcodes_pin_needs_rehash(ctx, stored, b.at(30).cast()), INVALID);
            assert_eq!(pcodes_pin_verify(ctx, acct, pin, stored, NOW, st, 64), OK);
            let birth = b.put(400, b"1987-05-25\0");
            assert_eq!(
                pcodes_pin_generate(ctx, 4, birth, b.at(404).cast(), 7),
                INVALID,
                "out over the birth date"
            );
            assert_eq!(b.bytes(400, 11), b"1987-05-25\0", "the birth date was not overwritten");
            assert_eq!(pcodes_pin_generate(ctx, 4, birth, ctx.cast(), 7), INVALID, "out over the context");
            assert_eq!(pcodes_pin_generate(ctx, 4, birth, b.at(416).cast(), 7), OK);

            // Recovery codes: the codes over the account id, the string over the codes, the
            // state over the string; the remaining count over the state.
            let mut r = Scratch::new(640);
            let racct = r.put(0, b"account-1\0");
            let (rst, codes, stored) =
                (r.at(16).cast::<u8>(), r.at(80).cast::<c_char>(), r.at(320).cast::<c_char>());
            let (rcodes, rstored) = (codes.cast_const(), stored.cast_const());
            assert_eq!(
                pcodes_recovery_generate(ctx, racct, 2, rst, 64, r.at(4).cast(), 30, stored, 256),
                INVALID
            );
            assert_eq!(
                pcodes_recovery_generate(ctx, racct, 2, rst, 64, codes, 30, r.at(100).cast(), 256),
                INVALID
            );
            assert_eq!(
                pcodes_recovery_generate(ctx, racct, 2, r.at(300).cast(), 64, codes, 30, stored, 256),
                INVALID
            );
            assert_eq!(r.bytes(0, 10), b"account-1\0", "the account id was not overwritten");
            assert_eq!(pcodes_recovery_generate(ctx, racct, 2, rst, 64, codes, 30, stored, 256), OK);
            let mut left = 0u32;
            assert_eq!(
                pcodes_recovery_verify(ctx, racct, rstored, rcodes, NOW, r.at(330).cast(), 64, &raw mut left),
                INVALID
            );
            assert_eq!(
                pcodes_recovery_verify(ctx, racct, rstored, rcodes, NOW, rst, 64, r.at(84).cast()),
                INVALID
            );
            assert_eq!(
                pcodes_recovery_verify(ctx, racct, rstored, rcodes, NOW, rst, 64, rst.add(8).cast()),
                INVALID
            );
            assert_eq!(pcodes_recovery_remaining(rst, 64, rst.add(4).cast()), INVALID);
            assert_eq!(pcodes_recovery_verify(ctx, racct, rstored, rcodes, NOW, rst, 64, &raw mut left), OK);
            assert_eq!(left, 1);

            // Device trust: the token over the account id or the blob; the blob over the token.
            let mut d = Scratch::new(256);
            let dacct = d.put(0, b"account-1\0");
            let (dst, tok) = (d.at(16).cast::<u8>(), d.at(96).cast::<c_char>());
            assert_eq!(pcodes_device_issue(ctx, dacct, NOW, dst, 64, d.at(8).cast(), 81), INVALID);
            assert_eq!(pcodes_device_issue(ctx, dacct, NOW, dst, 64, d.at(40).cast(), 81), INVALID);
            assert_eq!(d.bytes(0, 10), b"account-1\0", "the account id was not overwritten");
            assert_eq!(pcodes_device_issue(ctx, dacct, NOW, dst, 64, tok, 81), OK);
            let dpin = d.put(200, b"385027\0");
            assert_eq!(
                pcodes_device_pin_verify(
                    ctx,
                    dacct,
                    dpin,
                    null(),
                    tok.cast_const(),
                    NOW,
                    d.at(120).cast(),
                    64
                ),
                INVALID,
                "the blob over the token"
            );
            assert_eq!(
                pcodes_device_pin_verify(ctx, dacct, dpin, null(), tok.cast_const(), NOW, ctx.cast(), 64),
                INVALID,
                "the blob over the context"
            );
            assert_eq!(
                pcodes_device_pin_verify(ctx, dacct, dpin, null(), tok.cast_const(), NOW, dst, 64),
                super::status::PCODES_STATUS_WRONG
            );
            // The trusted lane of the other flows: the two blobs over each other, an output over
            // a blob, a blob over the token.
            let (purpose, sec) = (d.put(208, b"login\0"), d.at(216).cast_const());
            let mut flow_blob = [0u8; 64];
            let fb = flow_blob.as_mut_ptr();
            let t = tok.cast_const();
            let trusted_otp = |f: *mut u8, dv: *mut u8| {
                pcodes_device_otp_verify(ctx, dacct, purpose, dpin, t, NOW, f, 64, dv, 64)
            };
            assert_eq!(trusted_otp(d.at(48), dst), INVALID, "the SMS blob over the device blob");
            assert_eq!(trusted_otp(fb, d.at(120)), INVALID, "the device blob over the token");
            let mut code = [0 as c_char; 9];
            let cp = code.as_mut_ptr();
            assert_eq!(
                pcodes_device_otp_issue(ctx, dacct, purpose, t, NOW, d.at(48), 64, dst, 64, cp, 9),
                INVALID
            );
            assert_eq!(
                pcodes_device_otp_issue(ctx, dacct, purpose, t, NOW, fb, 64, dst, 64, d.at(20).cast(), 9),
                INVALID
            );
            let totp = |f: *mut u8, drift: *mut i32| {
                pcodes_device_totp_verify(ctx, dacct, sec, 20, 1, 6, 30, dpin, t, NOW, f, 64, dst, 64, drift)
            };
            assert_eq!(totp(d.at(40), null_mut()), INVALID, "the TOTP blob over the device blob");
            assert_eq!(totp(fb, d.at(24).cast()), INVALID, "the drift over the device blob");
            assert_eq!(totp(fb, d.at(220).cast()), INVALID, "the drift over the secret");
            let hotp = |f: *mut u8, counter: *mut u64| {
                pcodes_device_hotp_verify(ctx, dacct, sec, 20, 1, 6, dpin, t, NOW, f, 64, dst, 64, counter)
            };
            assert_eq!(hotp(dst, null_mut()), INVALID, "the HOTP blob is the device blob");
            assert_eq!(hotp(fb, fb.add(8).cast()), INVALID, "the counter over the HOTP blob");
            assert_eq!(totp(fb, null_mut()), super::status::PCODES_STATUS_WRONG);

            // State blobs.
            assert_eq!(pcodes_state_retry_at(st, 64, NOW, b.at(256 + 56).cast()), INVALID);
            let mut at = 5u64;
            assert_eq!(pcodes_state_retry_at(st, 64, NOW, &raw mut at), OK);
            assert_eq!(at, 0);
            let (old, new) = ([0u8; 64], [0u8; 64]);
            let ev = b.at(256 + 32).cast::<pcodes_events>();
            assert_eq!(
                pcodes_state_events(cctx, st, 64, new.as_ptr(), 64, NOW, ev),
                INVALID,
                "events in old"
            );
            assert_eq!(
                pcodes_state_events(cctx, old.as_ptr(), 64, st, 64, NOW, ev),
                INVALID,
                "events in new"
            );
            assert_eq!(
                pcodes_state_events(cctx, old.as_ptr(), 64, new.as_ptr(), 64, NOW, ctx.cast()),
                INVALID,
                "events in the context"
            );
            let mut e = pcodes_events { flags: 7, ..pcodes_events::default() };
            assert_eq!(pcodes_state_events(cctx, old.as_ptr(), 64, new.as_ptr(), 64, NOW, &raw mut e), OK);
            assert_eq!(e, pcodes_events::default());
            let _ = cctx;
            pcodes_ctx_free(ctx);
        }
    }

    /// Issue 20: a length above `isize::MAX` (C's `PTRDIFF_MAX`) is no buffer's length, and Rust
    /// may not make a slice of it: every (pointer, length) argument refuses it with
    /// `INVALID_ARGUMENT` and a detail naming the length, before anything is read or written
    /// (`pcodes_base32_encode(…, out_len = SIZE_MAX)` used to answer `OK`).
    #[test]
    #[allow(clippy::too_many_lines)]
    fn lengths_above_isize_max_are_refused() {
        use super::base32::*;
        use super::ctx::*;
        use super::device::*;
        use super::enrol::*;
        use super::link::*;
        use super::otp::*;
        use super::pin::*;
        use super::pin_generate::*;
        use super::recovery::*;
        use super::state::*;
        use super::status::PCODES_STATUS_INVALID_ARGUMENT as INVALID;
        use super::totp::*;
        use core::ptr::null_mut;

        const NOW: u64 = 1_750_000_000;
        let ctx = test_support::new_ctx(7, 1);
        let key = [7u8; 32];
        let secret = *b"12345678901234567890";
        let sp = secret.as_ptr();
        let child = pcodes_child {
            full_name: c"Иванов Иван Иванович".as_ptr(),
            birth_date: c"2015-03-08".as_ptr(),
            sex: c"M".as_ptr(),
            snils: c"112-233-445 95".as_ptr(),
        };
        let stored = c"$pbkdf2$x";
        let (mut w, mut at, mut drift, mut left) = (0usize, 0u64, 0i32, 0u32);
        let mut rs = [0x55u8; 256];
        let cfg = test_support::new_ctx(7, 1);
        let mut made = null_mut();
        let (mut out, mut st) = ([0x55u8; 64], [0u8; 64]);
        let (o, s) = (out.as_mut_ptr(), st.as_mut_ptr());
        let oc = o.cast::<c_char>();
        // `refused!(len_name, call)`: INVALID_ARGUMENT with the detail naming `len_name`.
        macro_rules! refused {
            ($len:literal, $call:expr) => {{
                // SAFETY: every pointer is a live local of at least 20 bytes (64 for outputs and
                // states); the huge lengths are refused before any of them is read or written.
                let rc = unsafe { $call };
                assert_eq!(rc, INVALID, "{}", stringify!($call));
                let detail = crate::diag::last_error_detail();
                assert_eq!(
                    detail,
                    concat!($len, ": above PTRDIFF_MAX, not the length of a buffer"),
                    "{}",
                    stringify!($call)
                );
            }};
        }
        for huge in [usize::MAX, isize::MAX.unsigned_abs() + 1] {
            refused!("out_len", pcodes_base32_encode(sp, 20, oc, huge));
            refused!("len", pcodes_base32_encode(sp, huge, oc, 64));
            refused!("out_len", pcodes_base32_decode(c"MZXW6YTBOI".as_ptr(), o, huge, &raw mut w));
            refused!("key_len", pcodes_ctx_new(key.as_ptr(), huge, 1, &raw mut made));
            refused!("key_len", pcodes_ctx_add_key(cfg, key.as_ptr(), huge, 2));
            refused!("secret_len", pcodes_totp_secret(ctx, o, huge));
            refused!("secret_len", pcodes_totp_uri(sp, huge, c"P".as_ptr(), c"a".as_ptr(), 1, 6, 30, oc, 64));
            refused!("out_len", pcodes_totp_uri(sp, 20, c"P".as_ptr(), c"a".as_ptr(), 1, 6, 30, oc, huge));
            refused!("out_len", pcodes_totp_qr_svg(c"otpauth://totp/a".as_ptr(), oc, huge));
            refused!("secret_len", pcodes_totp_code(sp, huge, 1, 6, 30, NOW, oc, 64));
            refused!("out_len", pcodes_totp_code(sp, 20, 1, 6, 30, NOW, oc, huge));
            refused!("secret_len", pcodes_hotp_code(sp, huge, 1, 6, 0, oc, 64));
            refused!("out_len", pcodes_hotp_code(sp, 20, 1, 6, 0, oc, huge));
            refused!(
                "secret_len",
                pcodes_totp_verify(ctx, sp, huge, 1, 6, 30, c"1".as_ptr(), NOW, s, 64, &raw mut drift)
            );
            refused!(
                "state_len",
                pcodes_totp_verify(ctx, sp, 20, 1, 6, 30, c"1".as_ptr(), NOW, s, huge, &raw mut drift)
            );
            refused!("secret_len", pcodes_hotp_verify(ctx, sp, huge, 1, 6, c"1".as_ptr(), NOW, s, 64));
            refused!("state_len", pcodes_hotp_verify(ctx, sp, 20, 1, 6, c"1".as_ptr(), NOW, s, huge));
            refused!("state_len", pcodes_otp_issue(ctx, c"login".as_ptr(), NOW, s, huge, oc, 64));
            refused!("code_out_len", pcodes_otp_issue(ctx, c"login".as_ptr(), NOW, s, 64, oc, huge));
            refused!("state_len", pcodes_otp_verify(ctx, c"login".as_ptr(), c"1".as_ptr(), NOW, s, huge));
            refused!("state_len", pcodes_link_issue(ctx, 7, &raw const child, NOW, s, huge, oc, 64));
            refused!("code_out_len", pcodes_link_issue(ctx, 7, &raw const child, NOW, s, 64, oc, huge));
            refused!("state_len", pcodes_link_redeem(ctx, c"1".as_ptr(), &raw const child, NOW, s, huge));
            refused!("out_len", pcodes_pin_hash(ctx, c"account-1".as_ptr(), c"385027".as_ptr(), oc, huge));
            refused!("out_len", pcodes_pin_generate(ctx, 6, core::ptr::null(), oc, huge));
            let (a, sb) = (c"account-1".as_ptr(), rs.as_mut_ptr().cast::<c_char>());
            refused!("state_len", pcodes_recovery_generate(ctx, a, 2, s, huge, oc, 30, sb, 256));
            refused!("codes_out_len", pcodes_recovery_generate(ctx, a, 2, s, 64, oc, huge, sb, 256));
            refused!("stored_out_len", pcodes_recovery_generate(ctx, a, 2, s, 64, oc, 30, sb, huge));
            refused!("state_len", pcodes_recovery_verify(ctx, a, a, a, NOW, s, huge, &raw mut left));
            refused!("state_len", pcodes_recovery_remaining(s, huge, &raw mut left));
            refused!("state_len", pcodes_device_issue(ctx, a, NOW, s, huge, oc, 81));
            refused!("token_out_len", pcodes_device_issue(ctx, a, NOW, s, 64, oc, huge));
            refused!("state_len", pcodes_device_check(ctx, a, a, NOW, s, huge));
            refused!("state_len", pcodes_device_pin_verify(ctx, a, a, a, a, NOW, s, huge));
            refused!("state_len", pcodes_device_revoke_all(s, huge));
            for f in [pcodes_pin_verify, pcodes_pin_verify_begin, pcodes_pin_verify_finish] {
                refused!("state_len", f(ctx, c"a".as_ptr(), c"1".as_ptr(), stored.as_ptr(), NOW, s, huge));
            }
            refused!("state_len", pcodes_pin_verify_apply(1, NOW, s, huge));
            refused!("state_len", pcodes_state_retry_at(s, huge, NOW, &raw mut at));
            refused!("state_len", pcodes_state_reset(s, huge));
            refused!("state_len", pcodes_state_revoke(s, huge, PCODES_REVOKE_CODES));
            let mut ev = pcodes_events::default();
            refused!("old_state_len", pcodes_state_events(ctx, s, huge, s, 64, NOW, &raw mut ev));
            refused!("new_state_len", pcodes_state_events(ctx, s, 64, s, huge, NOW, &raw mut ev));
        }
        assert_eq!(out, [0x55; 64], "no output written");
        assert_eq!(st, [0; 64], "no state written");
        assert_eq!(rs, [0x55; 256], "no recovery string written");
        assert!(made.is_null(), "no context made");
        // SAFETY: both contexts are live and freed once.
        unsafe {
            pcodes_ctx_free(cfg);
            pcodes_ctx_free(ctx);
        }
    }

    #[test]
    fn helpers_check_null_utf8_and_sizes() {
        // SAFETY: all pointers below are NULL or point to live locals of the stated size.
        unsafe {
            let a = arg!(pin);
            assert_eq!(text(core::ptr::null(), a), Err(Error::NullArgument));
            assert_eq!(crate::diag::last_error_detail(), "pin: NULL");
            assert_eq!(text(c"ok".as_ptr(), a), Ok("ok"));
            let bad = [0xffu8, 0];
            assert_eq!(text(bad.as_ptr().cast(), a), Err(Error::InvalidArgument));
            assert_eq!(crate::diag::last_error_detail(), "pin: not UTF-8");
            assert_eq!(opt_text(core::ptr::null(), a), Ok(None));
            let mut buf = [7u8; 3];
            let o = arg!(out, out_len, "see PCODES_PIN_HASH_BYTES");
            assert_eq!(put_text(&mut buf, "abc", o), Err(Error::BufferTooSmall));
            assert_eq!(crate::diag::last_error_detail(), "out_len: too small, see PCODES_PIN_HASH_BYTES");
            assert_eq!(buf, [7; 3], "untouched");
            put_text(&mut buf, "ab", o).unwrap();
            assert_eq!(buf, *b"ab\0");
            let mut st = [0u8; 65];
            assert!(state_blob(st.as_mut_ptr(), 64).is_ok());
            assert_eq!(state_blob(st.as_mut_ptr(), 65).err(), Some(Error::CorruptState));
            assert_eq!(state_blob(core::ptr::null_mut(), 64).err(), Some(Error::NullArgument));
        }
    }
}

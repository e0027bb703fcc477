//! Status codes, their names and messages, the version, the clock, and the size constants.

use core::ffi::c_char;

use super::{catch_status, pcodes_status};
use crate::error::{Lang, status_message_nul, status_name_nul};
use crate::state::STATE_BYTES;

// The C side of the `statuses!` table in `src/error.rs`, written out because cbindgen needs
// literals: that macro fails the build if a status lacks its constant here or has another value,
// and `tests/tables.rs` fails on a constant here (or in the header) that is not a status.
/// Success.
pub const PCODES_STATUS_OK: pcodes_status = 0;
/// A required pointer was NULL.
pub const PCODES_STATUS_NULL_ARGUMENT: pcodes_status = 100;
/// Output buffer too small (nothing was written).
pub const PCODES_STATUS_BUFFER_TOO_SMALL: pcodes_status = 101;
/// Bad UTF-8, out-of-range setting or parameter.
pub const PCODES_STATUS_INVALID_ARGUMENT: pcodes_status = 102;
/// Key shorter than 32 or longer than 64 bytes, or key id over 15.
pub const PCODES_STATUS_BAD_KEY: pcodes_status = 103;
/// The code or hash names a key id this context does not hold.
pub const PCODES_STATUS_UNKNOWN_KEY: pcodes_status = 104;
/// State blob of wrong kind, version or length (left unchanged).
pub const PCODES_STATUS_CORRUPT_STATE: pcodes_status = 105;
/// Child data lacks a required field (see `pcodes_child_check`).
pub const PCODES_STATUS_MISSING_FIELD: pcodes_status = 110;
/// SNILS is not 11 digits or its control number is wrong.
pub const PCODES_STATUS_INVALID_SNILS: pcodes_status = 111;
/// Not a real `YYYY-MM-DD` date, or in the future.
pub const PCODES_STATUS_INVALID_BIRTH_DATE: pcodes_status = 112;
/// PIN is not exactly an allowed number of ASCII digits.
pub const PCODES_STATUS_PIN_FORMAT: pcodes_status = 120;
/// PIN and its confirmation differ.
pub const PCODES_STATUS_PIN_MISMATCH: pcodes_status = 121;
/// PIN is on the blocklist, a pattern, or the holder's birth date.
pub const PCODES_STATUS_PIN_WEAK: pcodes_status = 122;
/// Stored PIN hash string cannot be parsed.
pub const PCODES_STATUS_MALFORMED_HASH: pcodes_status = 123;
/// The code fails its check symbol, length or alphabet: a typing error (not counted).
pub const PCODES_STATUS_MISTYPED: pcodes_status = 200;
/// Well-formed but not the right code (or forged); counts as a failure.
pub const PCODES_STATUS_WRONG: pcodes_status = 201;
/// The code's validity period has passed.
pub const PCODES_STATUS_EXPIRED: pcodes_status = 202;
/// A newer code has been issued since this one.
pub const PCODES_STATUS_SUPERSEDED: pcodes_status = 203;
/// The code was already redeemed (for TOTP: this step was already accepted).
pub const PCODES_STATUS_ALREADY_USED: pcodes_status = 204;
/// The child's data changed after the code was issued.
pub const PCODES_STATUS_DATA_CHANGED: pcodes_status = 205;
/// Too many failures; temporarily locked (see `pcodes_state_retry_at`).
pub const PCODES_STATUS_LOCKED: pcodes_status = 206;
/// Locked until reset through another channel (`pcodes_state_reset`).
pub const PCODES_STATUS_BLOCKED: pcodes_status = 207;
/// Resend cooldown or send limit; see `pcodes_state_retry_at`.
pub const PCODES_STATUS_TOO_SOON: pcodes_status = 208;
/// No code is outstanding for this state.
pub const PCODES_STATUS_NO_CHALLENGE: pcodes_status = 209;
/// This code had its allowed wrong attempts; a new one must be requested.
pub const PCODES_STATUS_ATTEMPTS_EXHAUSTED: pcodes_status = 210;
/// A bug was caught at the boundary.
pub const PCODES_STATUS_INTERNAL: pcodes_status = 900;
/// The operating system's randomness was unavailable.
pub const PCODES_STATUS_RNG_FAILURE: pcodes_status = 901;

/// Size of every state blob, in bytes.
pub const PCODES_STATE_BYTES: usize = 64;
const _: () = assert!(PCODES_STATE_BYTES == STATE_BYTES);

/// `PCODES_STATE_BYTES` as a function (JNA cannot read macros).
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_state_bytes() -> usize {
    PCODES_STATE_BYTES
}

/// The status's name, e.g. `"PCODES_STATUS_EXPIRED"`; `"PCODES_STATUS_UNKNOWN"` for values not in
/// the table. Static storage; never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_status_name(status: pcodes_status) -> *const c_char {
    status_name_nul(status).as_ptr().cast()
}

/// A short, polite message for the person, telling what to do next. `lang` is `"ru"` (also
/// `"ru-RU"`, `"ru_RU"`) for Russian; any other value, invalid UTF-8 or NULL gives English.
/// Static storage, UTF-8; never NULL; never free it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pcodes_status_message(status: pcodes_status, lang: *const c_char) -> *const c_char {
    let mut l = Lang::En;
    let _ = catch_status(|| {
        // Read without the argument helpers, which would record a detail for bad UTF-8 and so
        // erase the one the host is about to read.
        if !lang.is_null() {
            // SAFETY: non-NULL and NUL-terminated by this function's contract.
            if let Ok(tag) = unsafe { core::ffi::CStr::from_ptr(lang) }.to_str() {
                l = Lang::from_tag(tag);
            }
        }
        Ok(())
    });
    status_message_nul(status, l).as_ptr().cast()
}

/// Which argument the last call on this thread refused, and why: a short English sentence for
/// the developer, e.g. `"now: must be 1 ..= 253402300799 (unix seconds, UTC; 0 is refused)"`.
/// Every function that returns a `pcodes_status` first clears it (the accessors that return
/// strings, sizes or the time do not), so it describes the latest such call; `""` when that call
/// recorded nothing (it succeeded, or its status is a verdict about a code or PIN, which
/// never has a detail). After `NULL_ARGUMENT`, `BUFFER_TOO_SMALL`, `INVALID_ARGUMENT`,
/// `BAD_KEY`, `UNKNOWN_KEY`, `CORRUPT_STATE` or `MALFORMED_HASH` it is never empty and starts
/// with the name of the refused parameter as this header spells it, then `": "` (e.g.
/// `"code_out_len: too small, see PCODES_OTP_CODE_BYTES"`). Never contains a value the caller
/// passed (no secret, code or PIN).
/// Log it; never show it to the person (use `pcodes_status_message`). Static storage, UTF-8;
/// never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_last_error_detail() -> *const c_char {
    crate::diag::last_cstr().as_ptr()
}

/// The major version of the header: the SONAME is `libportal_codes.so.MAJOR`. Compare with
/// `pcodes_version()` to catch a header that does not match the library linked at run time.
pub const PCODES_VERSION_MAJOR: u32 = 0;
/// The minor version of the header (bumped when functions, statuses or settings are added).
pub const PCODES_VERSION_MINOR: u32 = 1;
/// The patch version of the header.
pub const PCODES_VERSION_PATCH: u32 = 0;

// cbindgen needs literals; these fail the build when Cargo.toml's version moves without them.
const fn version_part(part: &str) -> u32 {
    match u32::from_str_radix(part, 10) {
        Ok(v) => v,
        Err(_) => panic!("CARGO_PKG_VERSION_* is not a number"),
    }
}
const _: () = assert!(PCODES_VERSION_MAJOR == version_part(env!("CARGO_PKG_VERSION_MAJOR")));
const _: () = assert!(PCODES_VERSION_MINOR == version_part(env!("CARGO_PKG_VERSION_MINOR")));
const _: () = assert!(PCODES_VERSION_PATCH == version_part(env!("CARGO_PKG_VERSION_PATCH")));

/// The library version, `"MAJOR.MINOR.PATCH"` (`PCODES_VERSION_*` of the header it was built
/// with). Static storage; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The current time in unix seconds: the only function that reads the clock.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_now() -> u64 {
    crate::now()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    /// A binding reads each status's name back through `pcodes_status_name`; for every status
    /// (and OK) it is the table's (`tests/tables.rs` ties the table to the constants).
    #[test]
    fn every_status_is_named_through_the_c_api() {
        let statuses = crate::error::Error::ALL.map(crate::error::Error::code);
        for code in core::iter::once(PCODES_STATUS_OK).chain(statuses) {
            // SAFETY: the returned pointer is a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(pcodes_status_name(code)) }.to_str().unwrap();
            assert_eq!(name, crate::error::status_name(code));
            assert_ne!(name, "PCODES_STATUS_UNKNOWN", "{code}");
        }
    }

    #[test]
    fn names_messages_version() {
        // SAFETY: the returned pointers are static NUL-terminated strings.
        unsafe {
            let name = |s| CStr::from_ptr(pcodes_status_name(s)).to_str().unwrap();
            assert_eq!(name(202), "PCODES_STATUS_EXPIRED");
            assert_eq!(name(0), "PCODES_STATUS_OK");
            assert_eq!(name(-5), "PCODES_STATUS_UNKNOWN");
            let msg = |s, l| CStr::from_ptr(pcodes_status_message(s, l)).to_str().unwrap();
            assert!(msg(202, c"ru".as_ptr()).contains("запросите новый"));
            assert!(msg(202, c"en".as_ptr()).contains("request a new one"));
            assert_eq!(msg(202, core::ptr::null()), msg(202, c"fr".as_ptr()));
            let bad = [0xc3u8, 0];
            assert_eq!(msg(202, bad.as_ptr().cast()), msg(202, c"en".as_ptr()));
            assert_eq!(CStr::from_ptr(pcodes_version()).to_str().unwrap(), crate::VERSION);
        }
        assert!(pcodes_now() > 1_700_000_000);
        assert_eq!(pcodes_state_bytes(), 64);
    }

    /// The detail names the argument, is kept by the describing calls and cleared by the next
    /// call; verdicts leave it empty.
    #[test]
    fn last_error_detail_describes_the_last_call() {
        use crate::ffi::state::pcodes_state_retry_at;
        let detail = || {
            // SAFETY: the returned pointer is a static NUL-terminated string.
            unsafe { CStr::from_ptr(pcodes_last_error_detail()) }.to_str().unwrap()
        };
        let mut blob = [0u8; 64];
        let mut at = 0u64;
        // SAFETY: valid blob and out-parameter.
        let st = unsafe { pcodes_state_retry_at(blob.as_ptr(), 64, 0, &raw mut at) };
        assert_eq!(st, PCODES_STATUS_INVALID_ARGUMENT);
        assert!(detail().starts_with("now: "), "{}", detail());
        // SAFETY: static strings; NULL language is allowed.
        unsafe {
            let _ = pcodes_status_message(st, core::ptr::null());
            let _ = pcodes_status_name(st);
            let _ = pcodes_status_message(st, [0xffu8, 0].as_ptr().cast()); // bad UTF-8: English
        }
        assert!(detail().starts_with("now: "));
        // SAFETY: as above, with a short blob length.
        let st = unsafe { pcodes_state_retry_at(blob.as_ptr(), 63, 5, &raw mut at) };
        assert_eq!(st, PCODES_STATUS_CORRUPT_STATE);
        assert!(detail().starts_with("state_len: "), "{}", detail());
        // SAFETY: as above.
        let st = unsafe { pcodes_state_retry_at(blob.as_ptr(), 64, 5, &raw mut at) };
        assert_eq!(st, PCODES_STATUS_OK);
        assert_eq!(detail(), "");
        blob[0] = 0xEE;
        // SAFETY: as above.
        let st = unsafe { pcodes_state_retry_at(blob.as_ptr(), 64, 5, &raw mut at) };
        assert_eq!(st, PCODES_STATUS_CORRUPT_STATE);
        assert!(detail().starts_with("state: "), "{}", detail());
    }

    /// The header's `PCODES_VERSION_*` macros are Cargo.toml's version, and `pcodes_version()`
    /// is them joined (the build already fails if they drift; this says which one).
    #[test]
    fn version_macros_match_cargo_version() {
        assert_eq!(Ok(PCODES_VERSION_MAJOR), env!("CARGO_PKG_VERSION_MAJOR").parse());
        assert_eq!(Ok(PCODES_VERSION_MINOR), env!("CARGO_PKG_VERSION_MINOR").parse());
        assert_eq!(Ok(PCODES_VERSION_PATCH), env!("CARGO_PKG_VERSION_PATCH").parse());
        let joined = std::format!("{PCODES_VERSION_MAJOR}.{PCODES_VERSION_MINOR}.{PCODES_VERSION_PATCH}");
        // SAFETY: the returned pointer is a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(pcodes_version()) }.to_str().unwrap();
        assert_eq!(version, joined);
    }
}

//! Status codes, their classes, names and messages, and the developer detail.

use core::ffi::c_char;

use super::{catch_status, pcodes_status};
use crate::error::{Error, Lang, StatusClass, status_class, status_message_nul, status_name_nul};

// The C side of the `statuses!` table of `src/error.rs`, written out because cbindgen needs
// literals. GENERATED from that table by `src/ffi/tables.rs` (which fails when this block is not
// what it generates; refresh with `PCODES_BLESS=1 cargo test --all-features --lib tables`); the
// `const _` at its end fails the build when it is edited by hand.
// BEGIN GENERATED: statuses
/// Success.
pub const PCODES_STATUS_OK: pcodes_status = 0;
/// A required pointer was NULL.
pub const PCODES_STATUS_NULL_ARGUMENT: pcodes_status = 100;
/// An output buffer is too small (nothing written).
pub const PCODES_STATUS_BUFFER_TOO_SMALL: pcodes_status = 101;
/// Bad UTF-8, a value out of range (also `now`), a buffer length above `PTRDIFF_MAX`, overlapping buffers, a context configured after its first use.
pub const PCODES_STATUS_INVALID_ARGUMENT: pcodes_status = 102;
/// A master key not 32–64 bytes, or a key id over 15.
pub const PCODES_STATUS_BAD_KEY: pcodes_status = 103;
/// The code or hash names a key id the context does not hold.
pub const PCODES_STATUS_UNKNOWN_KEY: pcodes_status = 104;
/// A state blob of another flow, version or length, or with bytes its flow never writes (left unchanged).
pub const PCODES_STATUS_CORRUPT_STATE: pcodes_status = 105;
/// The child's data lacks a field (`pcodes_child_check` says which).
pub const PCODES_STATUS_MISSING_FIELD: pcodes_status = 110;
/// A SNILS that is not 11 digits, or has a wrong control number.
pub const PCODES_STATUS_INVALID_SNILS: pcodes_status = 111;
/// A birth date that is not a real `YYYY-MM-DD`, or is in the future.
pub const PCODES_STATUS_INVALID_BIRTH_DATE: pcodes_status = 112;
/// A PIN that is not an allowed number of ASCII digits.
pub const PCODES_STATUS_PIN_FORMAT: pcodes_status = 120;
/// PIN and confirmation differ.
pub const PCODES_STATUS_PIN_MISMATCH: pcodes_status = 121;
/// A PIN on the blocklist, a pattern, or the birth date.
pub const PCODES_STATUS_PIN_WEAK: pcodes_status = 122;
/// A stored PIN hash that cannot be parsed.
pub const PCODES_STATUS_MALFORMED_HASH: pcodes_status = 123;
/// A typing error (length, alphabet, check symbol); never counted.
pub const PCODES_STATUS_MISTYPED: pcodes_status = 200;
/// Well-formed but not the code; counted.
pub const PCODES_STATUS_WRONG: pcodes_status = 201;
/// The validity period is over.
pub const PCODES_STATUS_EXPIRED: pcodes_status = 202;
/// A newer code was issued.
pub const PCODES_STATUS_SUPERSEDED: pcodes_status = 203;
/// The code (or TOTP step) was already accepted.
pub const PCODES_STATUS_ALREADY_USED: pcodes_status = 204;
/// The child's data changed after the code was issued.
pub const PCODES_STATUS_DATA_CHANGED: pcodes_status = 205;
/// Too many failures; see `pcodes_state_retry_at`.
pub const PCODES_STATUS_LOCKED: pcodes_status = 206;
/// Locked until `pcodes_state_reset`.
pub const PCODES_STATUS_BLOCKED: pcodes_status = 207;
/// Resend cooldown or hourly send limit; see `pcodes_state_retry_at`.
pub const PCODES_STATUS_TOO_SOON: pcodes_status = 208;
/// Nothing is outstanding for this state.
pub const PCODES_STATUS_NO_CHALLENGE: pcodes_status = 209;
/// This code had its wrong tries; request a new one.
pub const PCODES_STATUS_ATTEMPTS_EXHAUSTED: pcodes_status = 210;
/// The device token is malformed, forged, or for another account; not counted.
pub const PCODES_STATUS_DEVICE_UNTRUSTED: pcodes_status = 220;
/// The account's trusted devices were revoked after this token was issued; not counted.
pub const PCODES_STATUS_DEVICE_REVOKED: pcodes_status = 221;
/// A bug caught at the boundary.
pub const PCODES_STATUS_INTERNAL: pcodes_status = 900;
/// The operating system's randomness was unavailable.
pub const PCODES_STATUS_RNG_FAILURE: pcodes_status = 901;
/// The host's pepper callback (HSM, KMS) failed; no verdict, not counted.
pub const PCODES_STATUS_PEPPER_FAILED: pcodes_status = 902;
const _: () = {
    assert!(PCODES_STATUS_NULL_ARGUMENT == Error::NullArgument.code());
    assert!(PCODES_STATUS_BUFFER_TOO_SMALL == Error::BufferTooSmall.code());
    assert!(PCODES_STATUS_INVALID_ARGUMENT == Error::InvalidArgument.code());
    assert!(PCODES_STATUS_BAD_KEY == Error::BadKey.code());
    assert!(PCODES_STATUS_UNKNOWN_KEY == Error::UnknownKey.code());
    assert!(PCODES_STATUS_CORRUPT_STATE == Error::CorruptState.code());
    assert!(PCODES_STATUS_MISSING_FIELD == Error::MissingField.code());
    assert!(PCODES_STATUS_INVALID_SNILS == Error::InvalidSnils.code());
    assert!(PCODES_STATUS_INVALID_BIRTH_DATE == Error::InvalidBirthDate.code());
    assert!(PCODES_STATUS_PIN_FORMAT == Error::PinFormat.code());
    assert!(PCODES_STATUS_PIN_MISMATCH == Error::PinMismatch.code());
    assert!(PCODES_STATUS_PIN_WEAK == Error::PinWeak.code());
    assert!(PCODES_STATUS_MALFORMED_HASH == Error::MalformedHash.code());
    assert!(PCODES_STATUS_MISTYPED == Error::Mistyped.code());
    assert!(PCODES_STATUS_WRONG == Error::Wrong.code());
    assert!(PCODES_STATUS_EXPIRED == Error::Expired.code());
    assert!(PCODES_STATUS_SUPERSEDED == Error::Superseded.code());
    assert!(PCODES_STATUS_ALREADY_USED == Error::AlreadyUsed.code());
    assert!(PCODES_STATUS_DATA_CHANGED == Error::DataChanged.code());
    assert!(PCODES_STATUS_LOCKED == Error::Locked.code());
    assert!(PCODES_STATUS_BLOCKED == Error::Blocked.code());
    assert!(PCODES_STATUS_TOO_SOON == Error::TooSoon.code());
    assert!(PCODES_STATUS_NO_CHALLENGE == Error::NoChallenge.code());
    assert!(PCODES_STATUS_ATTEMPTS_EXHAUSTED == Error::AttemptsExhausted.code());
    assert!(PCODES_STATUS_DEVICE_UNTRUSTED == Error::DeviceUntrusted.code());
    assert!(PCODES_STATUS_DEVICE_REVOKED == Error::DeviceRevoked.code());
    assert!(PCODES_STATUS_INTERNAL == Error::Internal.code());
    assert!(PCODES_STATUS_RNG_FAILURE == Error::RngFailure.code());
    assert!(PCODES_STATUS_PEPPER_FAILED == Error::PepperFailed.code());
    assert!(Error::ALL.len() == 29);
};
// END GENERATED: statuses

/// The class of a status (`pcodes_status_class`): who has to act on it.
pub type pcodes_class = i32;
/// `PCODES_STATUS_OK`.
pub const PCODES_CLASS_OK: pcodes_class = 0;
/// The calling code passed something the function refuses: a bug to fix. Always comes with a
/// developer detail (`pcodes_last_error_detail`).
pub const PCODES_CLASS_DEVELOPER_ERROR: pcodes_class = 1;
/// What a person typed (a PIN, a child's data) fails a check: ask them to correct it.
pub const PCODES_CLASS_DATA_CHECK: pcodes_class = 2;
/// A verdict about a code or PIN (`WRONG`, `EXPIRED`, `LOCKED`, ...): never has a detail.
pub const PCODES_CLASS_VERDICT: pcodes_class = 3;
/// Something failed inside the library or the system: try again later; report `INTERNAL`.
pub const PCODES_CLASS_INTERNAL: pcodes_class = 4;
/// A status value this library does not know (e.g. from a newer header).
pub const PCODES_CLASS_UNKNOWN: pcodes_class = -1;
const _: () = {
    assert!(PCODES_CLASS_OK == StatusClass::Ok.code());
    assert!(PCODES_CLASS_DEVELOPER_ERROR == StatusClass::DeveloperError.code());
    assert!(PCODES_CLASS_DATA_CHECK == StatusClass::DataCheck.code());
    assert!(PCODES_CLASS_VERDICT == StatusClass::Verdict.code());
    assert!(PCODES_CLASS_INTERNAL == StatusClass::Internal.code());
    assert!(StatusClass::ALL.len() == 5);
};

/// The status's name, e.g. `"PCODES_STATUS_EXPIRED"`; `"PCODES_STATUS_UNKNOWN"` for values not in
/// the table. Static storage; never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_status_name(status: pcodes_status) -> *const c_char {
    status_name_nul(status).as_ptr().cast()
}

/// The class of a status: `PCODES_CLASS_DEVELOPER_ERROR` (fix the calling code; a detail says
/// what), `PCODES_CLASS_DATA_CHECK` (ask the person to correct what they typed),
/// `PCODES_CLASS_VERDICT` (a verdict about a code or PIN), `PCODES_CLASS_INTERNAL`,
/// `PCODES_CLASS_OK` for `PCODES_STATUS_OK`, and `PCODES_CLASS_UNKNOWN` for values not in the
/// table. Does not clear the developer detail.
#[unsafe(no_mangle)]
pub extern "C" fn pcodes_status_class(status: pcodes_status) -> pcodes_class {
    let mut class = PCODES_CLASS_UNKNOWN;
    let _ = catch_status(|| {
        class = status_class(status).map_or(PCODES_CLASS_UNKNOWN, StatusClass::code);
        Ok(())
    });
    class
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

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    /// A binding reads each status's name back through `pcodes_status_name`; for every status
    /// (and OK) it is the table's (`tests/tables.rs` ties the table to the constants).
    #[test]
    fn every_status_is_named_through_the_c_api() {
        let statuses = Error::ALL.map(Error::code);
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
        }
    }

    #[test]
    fn every_status_has_its_class_through_the_c_api() {
        assert_eq!(pcodes_status_class(PCODES_STATUS_OK), PCODES_CLASS_OK);
        for e in Error::ALL {
            assert_eq!(pcodes_status_class(e.code()), e.class().code(), "{e:?}");
            assert_ne!(pcodes_status_class(e.code()), PCODES_CLASS_UNKNOWN);
        }
        for unknown in [-1, 1, 99, 199, 211, 903, i32::MIN, i32::MAX] {
            assert_eq!(pcodes_status_class(unknown), PCODES_CLASS_UNKNOWN);
        }
        assert_eq!(pcodes_status_class(PCODES_STATUS_WRONG), PCODES_CLASS_VERDICT);
        assert_eq!(pcodes_status_class(PCODES_STATUS_MALFORMED_HASH), PCODES_CLASS_DEVELOPER_ERROR);
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
}

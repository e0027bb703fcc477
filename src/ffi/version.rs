//! The version of the library and of its header, and the clock.

use core::ffi::c_char;

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

    #[test]
    fn version_and_clock() {
        // SAFETY: the returned pointer is a static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(pcodes_version()) }.to_str().unwrap(), crate::VERSION);
        assert!(pcodes_now() > 1_700_000_000);
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

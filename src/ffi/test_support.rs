//! Helpers shared by the C API's unit tests (compiled only for `cargo test`).

use core::ffi::c_char;
use core::ptr::null_mut;

use super::ctx::{pcodes_ctx, pcodes_ctx_new};
use super::status::PCODES_STATUS_OK;

/// A new context holding the 32-byte key `[key; 32]` as key id `key_id`, default settings.
/// The caller frees it with `pcodes_ctx_free`.
pub(crate) fn new_ctx(key: u8, key_id: u32) -> *mut pcodes_ctx {
    let mut c = null_mut();
    let key = [key; 32];
    // SAFETY: a valid 32-byte key buffer and a live out slot.
    assert_eq!(unsafe { pcodes_ctx_new(key.as_ptr(), 32, key_id, &raw mut c) }, PCODES_STATUS_OK);
    c
}

/// The NUL-terminated UTF-8 text at the start of `buf` (an output buffer a call wrote).
pub(crate) fn cstr(buf: &[u8]) -> &str {
    let n = buf.iter().position(|&b| b == 0).unwrap();
    core::str::from_utf8(&buf[..n]).unwrap()
}

/// One 8-byte-aligned scratch buffer in which inputs and outputs are placed so that they
/// overlap: every pointer below is derived from its base pointer, and no Rust reference into
/// it is alive during a call.
pub(crate) struct Scratch(std::vec::Vec<u64>);

impl Scratch {
    pub(crate) fn new(bytes: usize) -> Self {
        Self(std::vec![0u64; bytes.div_ceil(8)])
    }
    pub(crate) fn at(&mut self, off: usize) -> *mut u8 {
        assert!(off < self.0.len() * 8);
        self.0.as_mut_ptr().cast::<u8>().wrapping_add(off)
    }
    /// Copies `bytes` to `off`; returns the pointer as a C string.
    pub(crate) fn put(&mut self, off: usize, bytes: &[u8]) -> *const c_char {
        let p = self.at(off);
        assert!(off + bytes.len() <= self.0.len() * 8);
        // SAFETY: in bounds (checked); the source is a distinct Rust slice.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len()) };
        p.cast_const().cast()
    }
    pub(crate) fn bytes(&mut self, off: usize, len: usize) -> std::vec::Vec<u8> {
        let p = self.at(off);
        // SAFETY: in bounds; a copy is taken at once.
        unsafe { core::slice::from_raw_parts(p, len) }.to_vec()
    }
}

/// Whether `status` means "the developer passed something the function refuses"
/// (`StatusClass::DeveloperError`): every such status leaves a C function with a developer
/// detail naming one of its parameters.
pub(crate) fn is_developer_error(status: i32) -> bool {
    crate::error::status_class(status) == Some(crate::error::StatusClass::DeveloperError)
}

/// Whether `status` is a verdict about a code or PIN, which never has a detail.
pub(crate) fn is_verdict(status: i32) -> bool {
    crate::error::status_class(status) == Some(crate::error::StatusClass::Verdict)
}

/// Every `pcodes_status`-returning function of `include/portal_codes.h` with its parameter
/// names, read from the header itself (not from the Rust sources).
pub(crate) fn header_functions() -> std::vec::Vec<(&'static str, std::vec::Vec<&'static str>)> {
    const HEADER: &str = include_str!("../../include/portal_codes.h");
    let mut found = std::vec::Vec::new();
    for (at, _) in HEADER.match_indices("pcodes_status pcodes_") {
        let decl = &HEADER[at + "pcodes_status ".len()..];
        let (name, rest) = decl.split_once('(').unwrap();
        let params = rest.split_once(')').unwrap().0;
        let names = params.split(',').map(|p| p.trim().rsplit([' ', '*']).next().unwrap()).collect();
        found.push((name, names));
    }
    found
}

/// The parameters of the C function `name` (from the header).
pub(crate) fn params_of(name: &str) -> std::vec::Vec<&'static str> {
    let found = header_functions();
    found.into_iter().find(|(n, _)| *n == name).map(|(_, p)| p).unwrap_or_default()
}

/// Why the detail left by a C function `function` that returned `status` breaks the rule,
/// or `None`: a developer error has a detail `"<one of its parameters>: …"`, a verdict none.
pub(crate) fn detail_problem(function: &str, status: i32) -> Option<std::string::String> {
    let detail = crate::diag::last_error_detail();
    if is_developer_error(status) {
        let params = params_of(function);
        let arg = detail.split_once(": ").map(|(a, _)| a);
        if detail.is_empty() {
            return Some(std::format!("{function} returned {status} with no detail"));
        }
        if !params.is_empty() && !arg.is_some_and(|a| params.contains(&a)) {
            return Some(std::format!(
                "{function} returned {status}, detail {detail:?} names none of {params:?}"
            ));
        }
    } else if is_verdict(status) && !detail.is_empty() {
        return Some(std::format!("{function} returned the verdict {status} with the detail {detail:?}"));
    }
    None
}

/// Called by `boundary` in unit tests with the type name of the body's closure (which names
/// the exported function: `…::pcodes_otp_issue::{{closure}}`): a missing or misnamed detail
/// stops the test run at once (a panic cannot unwind out of an `extern "C"` function).
pub(crate) fn check_detail(closure: &str, status: i32) {
    let function = closure
        .split("::")
        .find(|s| s.starts_with("pcodes_"))
        .or_else(|| closure.contains("::verify_step::").then_some("pcodes_pin_verify"));
    let Some(function) = function else { return };
    if let Some(problem) = detail_problem(function, status) {
        // Straight to the process's stderr: the test harness's capture would be lost in the abort.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            std::format!("developer detail rule broken: {problem}\n").as_bytes(),
        );
        std::process::abort();
    }
}

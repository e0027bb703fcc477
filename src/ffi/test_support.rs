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

//! The SHA-1 lanes (issue 23 §4): `mac::Algorithm::compress_lanes` for `Sha1` — whose lanes run
//! up to four at a time through the SHA-NI kernel (`src/mac/shani/sha1.rs`) on a CPU that has it,
//! what the TOTP/HOTP window's candidates go through — gives the `sha1` crate's compression for
//! any number of lanes (0–9, grouped by four), states and blocks; lanes past the shorter slice
//! stay as they were.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal_codes::mac::{Algorithm, Sha1};

fuzz_target!(|input: (Vec<[u32; 5]>, Vec<[u8; 64]>)| {
    let (mut states, mut blocks) = input;
    states.truncate(9);
    blocks.truncate(9);
    let mut want = states.clone();
    for (s, b) in want.iter_mut().zip(&blocks) {
        sha1::block_api::compress(s, core::slice::from_ref(b));
    }
    Sha1::compress_lanes(&mut states, &blocks);
    assert_eq!(states, want);
});

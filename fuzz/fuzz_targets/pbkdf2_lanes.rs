//! Multi-block PBKDF2 (issue 23): `pin::pbkdf2::pbkdf2_hmac_sha256` — whose blocks run up to four
//! at a time through the SHA-NI kernels (`src/mac/shani/mod.rs`) on a CPU that has them — gives the
//! `pbkdf2` crate's bytes for any password, salt, iteration count (1..=256, to keep runs fast)
//! and output length (0..=300 bytes: 1 to 10 blocks, the last one cut anywhere).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal_codes::pin::pbkdf2::pbkdf2_hmac_sha256;

fuzz_target!(|input: (&[u8], &[u8], u8, u16)| {
    let (password, salt, iterations, dk_len) = input;
    let iterations = u32::from(iterations) + 1;
    let dk_len = usize::from(dk_len) % 301;
    let mut ours = vec![0u8; dk_len];
    let mut theirs = vec![0u8; dk_len];
    pbkdf2_hmac_sha256(password, salt, iterations, &mut ours);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, &mut theirs);
    assert_eq!(ours, theirs);
});

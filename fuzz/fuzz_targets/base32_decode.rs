//! base32 decoding of any bytes into buffers of every size, against `decoded_len`, and the
//! round trip back through `encode`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal_codes::{Error, base32};

fuzz_target!(|input: (&[u8], u8)| {
    let (text, room) = input;
    let mut big = vec![0u8; text.len()];
    let full = base32::RFC4648.decode(text, &mut big);
    assert_eq!(base32::RFC4648.decoded_len(text), full);
    if let Ok(s) = core::str::from_utf8(text) {
        let mut again = vec![0u8; text.len()];
        assert_eq!(base32::decode(s, &mut again), full);
    }
    let mut small = vec![0u8; usize::from(room)];
    let r = base32::RFC4648.decode(text, &mut small);
    match full {
        Ok(n) if n <= small.len() => assert_eq!(r, Ok(n)),
        Ok(_) => assert_eq!(r, Err(Error::BufferTooSmall)),
        Err(e) => {
            assert_eq!(e, Error::InvalidArgument);
            assert!(matches!(r, Err(Error::InvalidArgument | Error::BufferTooSmall)));
        }
    }
    if let Ok(n) = full {
        let mut enc = vec![0u8; base32::encoded_len(n)];
        let s = base32::encode(&big[..n], &mut enc).expect("room");
        let mut back = vec![0u8; n];
        assert_eq!(base32::decode(s, &mut back), Ok(n));
        assert_eq!(back, big[..n]);
    }
});

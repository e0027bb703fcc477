//! `link::parse` on any bytes (as UTF-8 when they are, and lossily converted otherwise).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal_codes::{Error, link};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match link::parse(&text) {
        Ok(id) => assert!(id <= link::MAX_RECORD_ID),
        Err(e) => assert_eq!(e, Error::Mistyped),
    }
});

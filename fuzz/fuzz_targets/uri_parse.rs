//! `totp::uri::parse` on any text; what it accepts is within the documented limits and builds
//! back into a URI that parses to the same enrolment (for TOTP).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal_codes::Error;
use portal_codes::totp::uri::{self, OtpType};

fuzz_target!(|text: &str| {
    match uri::parse(text) {
        Ok(e) => {
            assert!((10..=64).contains(&e.secret().len()));
            assert!(!e.account().is_empty() && e.account().len() <= uri::MAX_ACCOUNT_BYTES);
            let Some(issuer) = e.issuer() else { return };
            if e.otp_type() != OtpType::Totp {
                return;
            }
            let mut buf = [0u8; uri::URI_BYTES];
            // Parse checks names with build's rule, so what parses builds, and back.
            let again = uri::build(e.secret(), issuer, e.account(), &e.params(), &mut buf)
                .expect("parsed names build");
            let f = uri::parse(again).expect("a built URI parses");
            assert_eq!(
                (f.secret(), f.issuer(), f.account(), f.params()),
                (e.secret(), e.issuer(), e.account(), e.params())
            );
        }
        Err(e) => assert_eq!(e, Error::InvalidArgument),
    }
});

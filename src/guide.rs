//! The guides: the repository's `docs/` folder, one module per page, so that they read on
//! docs.rs as they do in the repository.
//!
//! | guide | what it answers |
//! |---|---|
//! | [`verdicts`] | every flow's verdict order as a state table: the status, whether it is counted, what the blob becomes |
//! | [`link_code`] | link codes: the format, the check symbol, the child's data and its fingerprint |
//! | [`pin`] | PINs: the policy and blocklist, the hash string, the two-phase verification |
//! | [`otp`] | SMS and e-mail one-time codes: expiry, attempts, resends, purposes |
//! | [`totp`] | authenticator apps: HOTP, TOTP, `otpauth://` enrolment, QR codes |
//! | [`recovery`] | recovery codes: the codes, the stored string, the blob, the host's part |
//! | [`device_trust`] | device tokens and the trusted lane: lockouts that do not lock the owner out |
//! | [`revoke`] | killing every outstanding code of an account at once, and the events a call caused |
//! | [`security`] | every security guarantee and the test that shows it |
//! | [`upgrading`] | stored blobs and hash strings across releases |
//! | [`c_api`] | the C ABI: conventions, statuses, settings, versions |
//! | [`architecture`] | how the layers fit together and where a new flow goes |
//!
//! The pages use reference-style links to each other (`[verdicts.md]`), defined at the end of
//! each file for the repository and, first (the first definition wins), in `src/guide/links.md`
//! as intra-doc links for rustdoc; `tests/rustdoc_links.rs` fails when a relative link would
//! reach docs.rs.

/// One guide: the link definitions for rustdoc, then the page.
macro_rules! guide {
    ($name:ident, $file:literal) => {
        #[doc = include_str!("guide/links.md")]
        #[doc = include_str!(concat!("../docs/", $file))]
        pub mod $name {}
    };
}

guide!(architecture, "architecture.md");
guide!(c_api, "c-api.md");
guide!(device_trust, "device-trust.md");
guide!(link_code, "link-code.md");
guide!(otp, "otp.md");
guide!(pin, "pin.md");
guide!(recovery, "recovery.md");
guide!(revoke, "revoke.md");
guide!(security, "security.md");
guide!(totp, "totp.md");
guide!(upgrading, "upgrading.md");
guide!(verdicts, "verdicts.md");

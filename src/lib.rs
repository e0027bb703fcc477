// The crate's front page, written for Rust users (README.md is the repository's, for GitHub
// readers: its Rust blocks are still compiled, by `ReadmeDoctests` below).
#![doc = include_str!("lib.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The front page links to items that only `std` has.
#![cfg_attr(not(feature = "std"), allow(rustdoc::broken_intra_doc_links))]
#![deny(unsafe_code)]
#![warn(missing_docs, rust_2018_idioms, clippy::pedantic)]
#![allow(
    clippy::module_name_repetitions,
    clippy::must_use_candidate,
    clippy::inline_always,
    clippy::doc_markdown
)]
// Test code favours brevity over the pedantic lints.
#![cfg_attr(
    test,
    allow(
        clippy::cast_possible_truncation,
        clippy::many_single_char_names,
        clippy::format_collect,
        clippy::format_push_string
    )
)]

#[cfg(feature = "alloc")]
#[allow(unused_extern_crates)]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod base32;
mod blob;
pub mod clock;
pub mod context;
pub mod device;
pub mod diag;
mod digits;
pub mod error;
mod flow;
pub mod keys;
pub mod link;
pub mod lockout;
pub mod mac;
pub mod otp;
pub mod pin;
pub mod policy;
pub mod recovery;
pub mod rng;
pub mod state;
pub mod totp;

#[cfg(feature = "capi")]
#[allow(unsafe_code)]
pub mod ffi;

#[cfg(any(doc, doctest))]
pub mod guide;

/// The README's Rust examples, compiled and run as doctests (the README is the repository's page;
/// the crate's front page is `src/lib.md`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub use context::Context;
#[cfg(feature = "std")]
pub use diag::last_error_detail;
pub use error::{Error, Lang, Result, StatusClass};
pub use keys::Purpose;
pub use policy::{Policy, Setting};
pub use state::{STATE_BYTES, reset, retry_at};

/// The crate version, `"MAJOR.MINOR.PATCH"`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The current time in unix seconds (the only place the library reads the clock).
/// A clock before 1970 reads as 0.
#[cfg(feature = "std")]
#[must_use]
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

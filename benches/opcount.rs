//! `opcount <op> <n>`: runs one operation `n` times, for instruction counts under callgrind
//! (`benches/compare.sh BASE` runs it in this checkout and in BASE's, `n` and 0 times, and prints
//! the instructions per operation side by side). Instruction counts do not move with the load of
//! a shared machine, so a check that costs speed shows even where criterion's medians are noisy.
//! Built with `--features capi`, it also counts the same link redeem and TOTP verify through the
//! C ABI (`c-link`, `c-totp-wrong`: the `extern "C"` functions called as C calls them).
use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::totp::{self, Algorithm, Params};
use portal_codes::{Context, STATE_BYTES, otp, pin};
use std::hint::black_box;

const NOW: u64 = 1_750_000_000;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let op = a[1].as_str();
    let n: u64 = a[2].parse().unwrap();
    let mut ctx = Context::new(&[0x42; 32], 1).unwrap();
    ctx.set(portal_codes::Setting::PinIterations, 10_000).unwrap();
    let kid = Child::new("Иванов Иван Иванович", "2015-03-01", "M", "112-233-445 95");
    let mut issued = [0u8; STATE_BYTES];
    let code =
        link::issue_with_rng(&ctx, 123_456, &kid, NOW, &mut issued, &mut ChaCha20Rng::seed_from_u64(1))
            .unwrap();
    let mut sent = [0u8; STATE_BYTES];
    otp::issue_with_rng(&ctx, "login", NOW - 120, &mut sent, &mut ChaCha20Rng::seed_from_u64(2)).unwrap();
    let sms = otp::issue_with_rng(&ctx, "login", NOW, &mut sent, &mut ChaCha20Rng::seed_from_u64(3)).unwrap();
    let secret = [7u8; 20];
    let params = Params::new(Algorithm::Sha1, 6, 30).unwrap();
    let mut tst = [0u8; STATE_BYTES];
    let tc = totp::time::code(&secret, &params, NOW - 60).unwrap();
    totp::time::verify(&ctx, &secret, &params, tc.as_str(), NOW - 60, &mut tst).unwrap();
    let mut hst = [0u8; STATE_BYTES];
    let hc = totp::hotp::code(&secret, Algorithm::Sha1, 6, 2).unwrap();
    totp::hotp::verify(&ctx, &secret, Algorithm::Sha1, 6, hc.as_str(), NOW, &mut hst).unwrap();
    #[cfg(feature = "capi")]
    let c = capi::Args::new(&kid, code.as_str());
    let stored = pin::hash_with_rng(&ctx, "acct", "385027", &mut ChaCha20Rng::seed_from_u64(4)).unwrap();
    for _ in 0..n {
        match op {
            "link" => {
                let mut st = issued;
                let _ = black_box(link::redeem(&ctx, black_box(code.as_str()), &kid, NOW + 60, &mut st));
            }
            "link-issue" => {
                let mut st = issued;
                let _ = black_box(link::issue_with_rng(
                    &ctx,
                    123_456,
                    &kid,
                    NOW + 60,
                    &mut st,
                    &mut ChaCha20Rng::seed_from_u64(5),
                ));
            }
            "sms" => {
                let mut st = sent;
                let _ = black_box(otp::verify(&ctx, "login", black_box(sms.as_str()), NOW + 10, &mut st));
            }
            "sms-wrong" => {
                let mut st = sent;
                let _ = black_box(otp::verify(&ctx, "login", black_box("000000"), NOW + 10, &mut st));
            }
            "totp-wrong" => {
                let mut st = tst;
                let _ =
                    black_box(totp::time::verify(&ctx, &secret, &params, black_box("000000"), NOW, &mut st));
            }
            "hotp-wrong" => {
                let mut st = hst;
                let _ = black_box(totp::hotp::verify(
                    &ctx,
                    &secret,
                    Algorithm::Sha1,
                    6,
                    black_box("000000"),
                    NOW,
                    &mut st,
                ));
            }
            "pin" => {
                let mut st = [0u8; STATE_BYTES];
                let _ =
                    black_box(pin::verify(&ctx, "acct", black_box("385027"), stored.as_str(), NOW, &mut st));
            }
            "pin-format" => {
                let mut st = [0u8; STATE_BYTES];
                let _ =
                    black_box(pin::verify(&ctx, "acct", black_box("12a4"), stored.as_str(), NOW, &mut st));
            }
            #[cfg(feature = "capi")]
            "c-link" => {
                let mut st = issued;
                let _ = black_box(c.link_redeem(NOW + 60, &mut st));
            }
            #[cfg(feature = "capi")]
            "c-totp-wrong" => {
                let mut st = tst;
                let _ = black_box(c.totp_verify(&secret, c"000000", NOW, &mut st));
            }
            _ => panic!(
                "op: link, link-issue, sms, sms-wrong, totp-wrong, hotp-wrong, pin-format or pin (c-link, c-totp-wrong with capi)"
            ),
        }
    }
}

/// The C calls: arguments as C passes them (NUL-terminated strings, pointer + length).
#[cfg(feature = "capi")]
mod capi {
    use portal_codes::ffi::ctx::{pcodes_ctx, pcodes_ctx_new};
    use portal_codes::ffi::link::{pcodes_child, pcodes_link_redeem};
    use portal_codes::ffi::totp::{PCODES_ALGORITHM_SHA1, pcodes_totp_verify};
    use portal_codes::{STATE_BYTES, link::Child};
    use std::ffi::{CStr, CString};
    use std::hint::black_box;

    pub struct Args {
        ctx: *mut pcodes_ctx,
        code: CString,
        kid: [CString; 4],
    }

    impl Args {
        pub fn new(kid: &Child<'_>, code: &str) -> Self {
            let mut ctx = std::ptr::null_mut();
            // SAFETY: 32 readable key bytes; `ctx` is a writable slot.
            assert_eq!(unsafe { pcodes_ctx_new([0x42; 32].as_ptr(), 32, 1, &raw mut ctx) }, 0);
            let s = |t: &str| CString::new(t).unwrap();
            Self { ctx, code: s(code), kid: [s(kid.full_name), s(kid.birth_date), s(kid.sex), s(kid.snils)] }
        }

        pub fn link_redeem(&self, now: u64, st: &mut [u8; STATE_BYTES]) -> i32 {
            let child = pcodes_child {
                full_name: self.kid[0].as_ptr(),
                birth_date: self.kid[1].as_ptr(),
                sex: self.kid[2].as_ptr(),
                snils: self.kid[3].as_ptr(),
            };
            // SAFETY: a live context, NUL-terminated strings, a 64-byte state.
            unsafe {
                pcodes_link_redeem(
                    self.ctx,
                    black_box(self.code.as_ptr()),
                    &raw const child,
                    now,
                    st.as_mut_ptr(),
                    STATE_BYTES,
                )
            }
        }

        pub fn totp_verify(&self, secret: &[u8], code: &CStr, now: u64, st: &mut [u8; STATE_BYTES]) -> i32 {
            let mut drift = 0i32;
            // SAFETY: a live context, the secret's bytes, a NUL-terminated code, a 64-byte state.
            unsafe {
                pcodes_totp_verify(
                    self.ctx,
                    black_box(secret.as_ptr()),
                    secret.len(),
                    PCODES_ALGORITHM_SHA1,
                    6,
                    30,
                    black_box(code.as_ptr()),
                    now,
                    st.as_mut_ptr(),
                    STATE_BYTES,
                    &raw mut drift,
                )
            }
        }
    }
}

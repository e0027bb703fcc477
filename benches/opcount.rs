//! `opcount <op> <n>`: runs one operation `n` times, for instruction counts under callgrind
//! (`benches/compare.sh BASE` runs it in this checkout and in BASE's, `n` and 0 times, and prints
//! the instructions per operation side by side). Instruction counts do not move with the load of
//! a shared machine, so a check that costs speed shows even where criterion's medians are noisy.
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
            _ => panic!("op: link, link-issue, sms, sms-wrong, totp-wrong, hotp-wrong, pin-format or pin"),
        }
    }
}

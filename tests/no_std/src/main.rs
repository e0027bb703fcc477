//! Uses the core of portal-codes with no standard library and no allocator.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use portal_codes::link::{self, Child};
use portal_codes::mac::{HmacKey, Sha256};
use portal_codes::rng::{ChaCha20Rng, SeedableRng, uniform_below};
use portal_codes::state::{Kind, State};
use portal_codes::totp::{self, Params};
use portal_codes::{Context, Setting, lockout, otp, pin};

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}

/// The prebuilt `core` refers to the unwinding personality even with `panic = "abort"`;
/// nothing ever unwinds here.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

fn exercise() -> u32 {
    let Ok(mut ctx) = Context::new(&[7u8; 32], 3) else { return 1 };
    if ctx.set(Setting::OtpDigits, 8).is_err() {
        return 2;
    }
    let mut s = State::decode(&[0u8; 64], Kind::Pin).unwrap_or_else(|_| State::fresh(Kind::Pin));
    lockout::record_failure(&mut s, ctx.policy(), 1_700_000_000);
    let blob = s.encode();
    let tag = HmacKey::<Sha256>::new(&blob).mac(&[b"no_std"]);
    let mut rng = ChaCha20Rng::from_seed([tag[0]; 32]);
    let mut sum = uniform_below(&mut rng, 1_000_000) + u32::from(portal_codes::retry_at(&blob, 0).is_ok());

    // Every flow, end to end, with no allocator.
    let now = 1_800_000_000;
    let child = Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
    let mut record = [0u8; 64];
    let Ok(code) = link::issue_with_rng(&ctx, 42, &child, now, &mut record, &mut rng) else { return 3 };
    if link::redeem(&ctx, code.as_str(), &child, now + 60, &mut record).is_err() {
        return 4;
    }
    let mut sms = [0u8; 64];
    let Ok(sent) = otp::issue_with_rng(&ctx, "login", now, &mut sms, &mut rng) else { return 5 };
    if otp::verify(&ctx, "login", sent.as_str(), now + 5, &mut sms).is_err() {
        return 6;
    }
    if ctx.set(Setting::PinIterations, 10_000).is_err() || pin::check(&ctx, "385027", "385027", None).is_err()
    {
        return 7;
    }
    let Ok(stored) = pin::hash_with_rng(&ctx, "acct", "385027", &mut rng) else { return 8 };
    let mut account = [0u8; 64];
    if pin::verify(&ctx, "acct", "385027", stored.as_str(), now, &mut account).is_err() {
        return 9;
    }
    let Ok(issued) = pin::generate_with_rng(&ctx, 6, Some("2015-03-08"), &mut rng) else { return 12 };
    if pin::check(&ctx, issued.as_str(), issued.as_str(), Some("2015-03-08")).is_err() {
        return 13;
    }
    let secret = *b"12345678901234567890";
    let Ok(typed) = totp::time::code(&secret, &Params::default(), now) else { return 10 };
    let mut app = [0u8; 64];
    if totp::time::verify(&ctx, &secret, &Params::default(), typed.as_str(), now, &mut app).is_err() {
        return 11;
    }
    sum += u32::from(typed.as_str().as_bytes()[0]);
    sum
}

/// Entry point without the C runtime; never returns.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let v = exercise();
    core::hint::black_box(v);
    loop {}
}

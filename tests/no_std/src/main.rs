//! Uses the core of portal-codes with no standard library and no allocator.
#![no_std]
#![no_main]

use core::panic::PanicInfo;

use portal_codes::mac::{HmacKey, Sha256};
use portal_codes::rng::{ChaCha20Rng, SeedableRng, uniform_below};
use portal_codes::state::{Kind, State};
use portal_codes::{Context, Setting, lockout};

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
    uniform_below(&mut rng, 1_000_000) + u32::from(portal_codes::retry_at(&blob, 0).is_ok())
}

/// Entry point without the C runtime; never returns.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let v = exercise();
    core::hint::black_box(v);
    loop {}
}

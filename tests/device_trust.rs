//! Device trust (issue 22 §3, "Measures"): an attacker without a device token guesses an
//! account's PIN at the fastest rate the policy allows for 30 days, while the owner verifies
//! from a trusted device at any moment. The figures are printed in `docs/security.md` ("Device
//! trust"), and this test fails when they no longer agree with what the library does.

use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, STATE_BYTES, Setting, device, pin, state};

const START: u64 = 1_780_000_000;
const DAYS: u64 = 30;
/// The owner also verifies this often, besides right after every guess of the attacker.
const OWNER_EVERY: u64 = 6 * 3600;

struct Run {
    /// Guesses the attacker got answered (not refused by the lock).
    attacker: u64,
    /// The owner's verifications, and how many were `OK` at once.
    owner: u64,
    owner_ok: u64,
    /// The owner's longest wait (seconds; `u64::MAX` = until a reset).
    worst_wait: u64,
}

/// The attacker guesses whenever the PIN blob lets it (every second it is not locked); the
/// owner verifies every `OWNER_EVERY` seconds and, with a trusted device, also right after each
/// guess; through its trusted device (`trusted`) or, for the comparison, the same PIN blob as
/// the attacker.
fn simulate(trusted: bool) -> Run {
    let mut c = Context::new(&[0x42; 32], 1).unwrap();
    c.set(Setting::PinIterations, 10_000).unwrap();
    let h = pin::hash_with_rng(&c, "owner", "385027", &mut ChaCha20Rng::from_seed([1; 32])).unwrap();
    let h = h.as_str();
    let (mut pin_st, mut dev) = ([0u8; STATE_BYTES], [0u8; STATE_BYTES]);
    let token = device::issue(&c, "owner", START, &mut dev).unwrap();
    let end = START + DAYS * 86_400;
    let mut run = Run { attacker: 0, owner: 0, owner_ok: 0, worst_wait: 0 };
    let owner = |now: u64, pin_st: &mut [u8; STATE_BYTES], dev: &mut [u8; STATE_BYTES], run: &mut Run| {
        run.owner += 1;
        let (r, blob) = if trusted {
            (device::pin_verify(&c, "owner", "385027", h, token.as_str(), now, dev), *dev)
        } else {
            (pin::verify(&c, "owner", "385027", h, now, pin_st), *pin_st)
        };
        match r {
            Ok(()) => run.owner_ok += 1,
            Err(Error::Locked | Error::Blocked) => {
                let at = state::retry_at(&blob, now).unwrap();
                let wait = if at == u64::MAX { u64::MAX } else { at - now };
                run.worst_wait = run.worst_wait.max(wait);
            }
            Err(e) => panic!("owner at {now}: {e:?}"),
        }
    };
    let (mut now, mut next_owner) = (START, START);
    while now < end {
        if now >= next_owner {
            owner(now, &mut pin_st, &mut dev, &mut run);
            next_owner += OWNER_EVERY;
        }
        let at = state::retry_at(&pin_st, now).unwrap();
        if at > now {
            // Locked: the attacker waits for the lock's end (or the owner's next turn).
            now = at.min(next_owner).min(end);
            continue;
        }
        match pin::verify(&c, "attacker", "000000", h, now, &mut pin_st) {
            Err(Error::Wrong) => run.attacker += 1,
            other => panic!("attacker at {now}: {other:?}"),
        }
        if trusted {
            // The worst moments for the owner: right after each guess (in the untrusted lane
            // the owner's success would clear the attacker's run, so only the periodic ones).
            owner(now, &mut pin_st, &mut dev, &mut run);
        }
        now += 1;
    }
    run
}

fn wait_text(w: u64) -> String {
    if w == u64::MAX { "until a reset".to_string() } else { format!("{w} s") }
}

#[test]
fn an_attacker_without_a_token_never_locks_the_owner_out() {
    let t = simulate(true);
    let u = simulate(false);
    assert_eq!(t.owner_ok, t.owner, "every trusted verification of the owner is OK");
    assert_eq!(t.worst_wait, 0);
    assert!(u.worst_wait > 0, "without device trust the attacker does lock the owner out");
    let line = format!(
        "| {DAYS} days, default policy | {} | {} of {} `OK`, worst wait {} | {} | {} of {} `OK`, worst wait {} |",
        t.attacker,
        t.owner_ok,
        t.owner,
        wait_text(t.worst_wait),
        u.attacker,
        u.owner_ok,
        u.owner,
        wait_text(u.worst_wait)
    );
    println!("{line}");
    let doc = include_str!("../docs/security.md");
    assert!(doc.contains(&line), "docs/security.md (\"Device trust\") should have the row:\n{line}");
}

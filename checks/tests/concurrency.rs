//! Exactly-once under concurrency with a real PostgreSQL (link, SMS, TOTP, PIN and recovery
//! codes): 32 workers, each with its own connection, hammer one row's state blob through
//! compare-and-swap.
//!
//! Fails when PostgreSQL is not installed, unless `PCODES_ALLOW_SKIP=1` (then it skips, saying so).

mod pg;

use std::sync::{Arc, Barrier};

use portal_codes::state::{Kind, State};
use portal_codes::{Context, Error, lockout};

const WORKERS: usize = 32;

/// Runs `op` once in each of `WORKERS` threads, all released at the same moment, each with its
/// own connection; returns the verdicts.
fn race<T: Send + 'static>(
    server: &pg::Server,
    id: i64,
    op: impl Fn(usize, &mut [u8; portal_codes::STATE_BYTES]) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let op = Arc::new(op);
    let barrier = Arc::new(Barrier::new(WORKERS));
    let handles: Vec<_> = (0..WORKERS)
        .map(|w| {
            let mut client = server.connect();
            let (op, barrier) = (Arc::clone(&op), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                pg::cas(&mut client, id, |blob| op(w, blob)).0
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().expect("worker")).collect()
}

/// The lockout engine alone: 32 simultaneous failures on one blob lock after exactly
/// `LOCK_AFTER_FAILURES`; every later attempt is refused without being counted.
#[test]
fn lockout_counts_exactly_under_contention() {
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 1);
    let ctx = Context::new(&[3; 32], 0).unwrap();
    let policy = ctx.policy().clone();
    let now = 1_800_000_000;
    let verdicts = race(&server, 1, move |_, blob| {
        let mut s = State::decode(blob, Kind::Pin)?;
        let r = lockout::check(&s, now);
        if r.is_ok() {
            lockout::record_failure(&mut s, &policy, now);
        }
        *blob = s.encode();
        r.map(|()| "counted")
    });
    let counted = verdicts.iter().filter(|v| **v == Ok("counted")).count();
    let locked = verdicts.iter().filter(|v| **v == Err(Error::Locked)).count();
    assert_eq!(counted, 5, "{verdicts:?}");
    assert_eq!(locked, WORKERS - 5);
    let s = State::decode(&pg::load(&mut c, 1), Kind::Pin).unwrap();
    assert_eq!(s.failures, 5);
    assert_eq!(s.locked_until, now + 900);
}

/// One SMS code verified by all workers at once: exactly one OK, the others `ALREADY_USED`.
#[test]
fn sms_code_is_accepted_exactly_once() {
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 2);
    let ctx = Arc::new(Context::new(&[4; 32], 0).unwrap());
    let now = 1_800_000_000;
    let (code, _) = pg::cas(&mut c, 2, |blob| portal_codes::otp::issue(&ctx, "login", now, blob).unwrap());
    let code = code.as_str().to_owned();
    let verdicts =
        race(&server, 2, move |_, blob| portal_codes::otp::verify(&ctx, "login", &code, now + 5, blob));
    assert_eq!(verdicts.iter().filter(|v| v.is_ok()).count(), 1, "{verdicts:?}");
    assert!(verdicts.iter().all(|v| v.is_ok() || *v == Err(Error::AlreadyUsed)), "{verdicts:?}");
}

/// One authenticator code submitted by all workers at once: exactly one OK, the others
/// `ALREADY_USED` (RFC 6238 §5.2 replay protection through the stored last step).
#[test]
fn totp_code_is_accepted_exactly_once() {
    use portal_codes::totp::{self, Params};
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 3);
    let ctx = Arc::new(Context::new(&[5; 32], 0).unwrap());
    let secret = *b"12345678901234567890";
    let now = 1_800_000_000;
    let code = totp::time::code(&secret, &Params::default(), now).unwrap().as_str().to_owned();
    let verdicts = race(&server, 3, move |_, blob| {
        totp::time::verify(&ctx, &secret, &Params::default(), &code, now, blob)
    });
    assert_eq!(verdicts.iter().filter(|v| **v == Ok(0)).count(), 1, "{verdicts:?}");
    assert!(verdicts.iter().all(|v| *v == Ok(0) || *v == Err(Error::AlreadyUsed)), "{verdicts:?}");
}

/// One link code redeemed by all workers at once: exactly one OK, the others `ALREADY_USED`.
#[test]
fn link_code_is_redeemed_exactly_once() {
    use portal_codes::link::{self, Child};
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    let record = 4_815_162_342_i64;
    pg::insert_fresh(&mut c, record);
    let ctx = Arc::new(Context::new(&[6; 32], 0).unwrap());
    let child = Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
    let now = 1_800_000_000;
    let (code, _) =
        pg::cas(&mut c, record, |blob| link::issue(&ctx, record as u64, &child, now, blob).unwrap());
    let code = code.as_str().to_owned();
    assert_eq!(link::parse(&code), Ok(record as u64));
    let verdicts = race(&server, record, move |_, blob| {
        let child = Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
        link::redeem(&ctx, &code, &child, now + 60, blob)
    });
    assert_eq!(verdicts.iter().filter(|v| v.is_ok()).count(), 1, "{verdicts:?}");
    assert!(verdicts.iter().all(|v| v.is_ok() || *v == Err(Error::AlreadyUsed)), "{verdicts:?}");
}

/// Wrong PINs from all workers at once, with the two-phase protocol: the failure count is exact,
/// the lock engages after exactly `LOCK_AFTER_FAILURES` admitted attempts, and no more than that
/// many PBKDF2 computations are spent — the failure is stored (phase 1) before the hash runs.
#[test]
fn wrong_pins_lock_after_exactly_five_and_waste_no_hashes() {
    use portal_codes::pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 7);
    let mut ctx = Context::new(&[7; 32], 0).unwrap();
    ctx.set(portal_codes::Setting::PinIterations, 10_000).unwrap();
    let ctx = Arc::new(ctx);
    let stored = pin::hash(&ctx, "account-7", "385027").unwrap().as_str().to_owned();
    let hashes = Arc::new(AtomicUsize::new(0));
    let now = 1_800_000_000;
    let counter = Arc::clone(&hashes);
    let verdicts = race(&server, 7, move |w, blob| {
        // Each worker guesses a different wrong PIN; phase 1 stored by `race`'s CAS.
        let guess = format!("{:06}", 100_000 + w);
        pin::verify_begin(&ctx, &guess, &stored, now, blob)
            .map(|()| (guess, Arc::clone(&ctx), stored.clone(), Arc::clone(&counter)))
    });
    let admitted: Vec<_> = verdicts.iter().filter_map(|v| v.as_ref().ok()).collect();
    assert_eq!(admitted.len(), 5, "exactly LOCK_AFTER_FAILURES attempts admitted");
    assert_eq!(verdicts.iter().filter(|v| matches!(v, Err(Error::Locked))).count(), WORKERS - 5);
    // Phase 2 for the admitted ones, concurrently: one PBKDF2 each, applied with CAS retries.
    let finishers: Vec<_> = admitted
        .into_iter()
        .map(|(guess, ctx, stored, counter)| {
            let (guess, ctx, stored, counter) =
                (guess.clone(), Arc::clone(ctx), stored.clone(), Arc::clone(counter));
            let mut client = server.connect();
            std::thread::spawn(move || {
                let verdict = pin::verify_compute(&ctx, "account-7", &guess, &stored).unwrap();
                counter.fetch_add(1, Ordering::SeqCst);
                pg::cas(&mut client, 7, |blob| pin::verify_apply(verdict, now, blob)).0
            })
        })
        .collect();
    for f in finishers {
        assert_eq!(f.join().unwrap(), Err(Error::Wrong));
    }
    assert_eq!(hashes.load(Ordering::SeqCst), 5, "no PBKDF2 past the limit");
    let blob = pg::load(&mut c, 7);
    let s = State::decode(&blob, Kind::Pin).unwrap();
    assert_eq!(s.failures, 5);
    assert_eq!(s.locked_until, now + 900);
    assert_eq!(portal_codes::retry_at(&blob, now), Ok(now + 900));
}

/// Recovery codes (issue 22 §1): all workers submit codes of one set at once, two workers per
/// code: each code is accepted exactly once (the other submission of it is `ALREADY_USED`), the
/// counts of codes left are each reported once, and nothing is counted as a failure.
#[test]
fn recovery_codes_are_accepted_exactly_once() {
    use portal_codes::recovery;
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 8);
    let ctx = Arc::new(Context::new(&[8; 32], 0).unwrap());
    let now = 1_800_000_000;
    let (set, _) = pg::cas(&mut c, 8, |blob| recovery::generate(&ctx, "account-8", 16, blob).unwrap());
    let stored = set.stored().as_str().to_owned();
    let codes: Vec<String> = set.codes().iter().map(|c| c.as_str().to_owned()).collect();
    let verdicts = race(&server, 8, move |w, blob| {
        recovery::verify(&ctx, "account-8", &stored, &codes[w / 2], now, blob).map(|left| (w / 2, left))
    });
    let mut accepted: Vec<usize> =
        verdicts.iter().filter_map(|v| v.as_ref().ok().map(|&(code, _)| code)).collect();
    accepted.sort_unstable();
    assert_eq!(accepted, (0..16).collect::<Vec<_>>(), "each code once: {verdicts:?}");
    let mut left: Vec<u32> = verdicts.iter().filter_map(|v| v.as_ref().ok().map(|&(_, n)| n)).collect();
    left.sort_unstable();
    assert_eq!(left, (0..16).collect::<Vec<_>>(), "each count of codes left reported once");
    assert_eq!(verdicts.iter().filter(|v| **v == Err(Error::AlreadyUsed)).count(), 16, "{verdicts:?}");
    let blob = pg::load(&mut c, 8);
    assert_eq!(recovery::remaining(&blob), Ok(0));
    assert_eq!(State::decode(&blob, Kind::Recovery).unwrap().failures, 0);
}

/// Wrong recovery codes from all workers at once: exactly `LOCK_AFTER_FAILURES` are answered
/// `WRONG` and counted, every other attempt is `LOCKED`, and the right code waits for the lock.
#[test]
fn wrong_recovery_codes_lock_after_exactly_five() {
    use portal_codes::recovery;
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    pg::insert_fresh(&mut c, 9);
    let ctx = Arc::new(Context::new(&[9; 32], 0).unwrap());
    let now = 1_800_000_000;
    let (set, _) = pg::cas(&mut c, 9, |blob| recovery::generate(&ctx, "account-9", 10, blob).unwrap());
    let stored = set.stored().as_str().to_owned();
    let right = set.codes()[0].as_str().to_owned();
    let ctx2 = Arc::clone(&ctx);
    let stored2 = stored.clone();
    // Another account's code of the same shape: well-formed, not in this set.
    let verdicts =
        race(&server, 9, move |_, blob| recovery::verify(&ctx2, "account-10", &stored2, &right, now, blob));
    assert_eq!(verdicts.iter().filter(|v| **v == Err(Error::Wrong)).count(), 5, "{verdicts:?}");
    assert_eq!(verdicts.iter().filter(|v| **v == Err(Error::Locked)).count(), WORKERS - 5);
    let blob = pg::load(&mut c, 9);
    let s = State::decode(&blob, Kind::Recovery).unwrap();
    assert_eq!((s.failures, s.locked_until), (5, now + 900));
    assert_eq!(recovery::remaining(&blob), Ok(10));
    let (r, _) = pg::cas(&mut c, 9, |blob| {
        recovery::verify(&ctx, "account-9", &stored, set.codes()[0].as_str(), now + 900, blob)
    });
    assert_eq!(r, Ok(9));
}

// ---- Device trust (issue 22 §3, "Measures"): the trusted and the untrusted lane, 32 workers ----

/// Runs `op` once in each of `WORKERS` threads, all released at the same moment, each with its
/// own connection, worker `w` on the row `row_of(w)` through compare-and-swap (retried on a lost
/// write, as `race`); returns each worker's verdict and how many writes it lost.
fn race_rows<T: Send + 'static>(
    server: &pg::Server,
    row_of: impl Fn(usize) -> i64,
    op: impl Fn(usize, &mut [u8; portal_codes::STATE_BYTES]) -> T + Send + Sync + 'static,
) -> Vec<(T, u32)> {
    let op = Arc::new(op);
    let barrier = Arc::new(Barrier::new(WORKERS));
    let handles: Vec<_> = (0..WORKERS)
        .map(|w| {
            let mut client = server.connect();
            let (op, barrier, id) = (Arc::clone(&op), Arc::clone(&barrier), row_of(w));
            std::thread::spawn(move || {
                barrier.wait();
                pg::cas(&mut client, id, |blob| op(w, blob))
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().expect("worker")).collect()
}

/// One account, two lanes (docs/device-trust.md): the even workers present the owner's device
/// token (the trusted lane, counted in the device blob's row), the odd ones none (the untrusted
/// lane, the PIN blob's row), all 32 at once, each with its own connection and compare-and-swap.
/// Round 1: the untrusted lane guesses wrong PINs while the owner's device sends the right one:
/// the untrusted lane locks after exactly `LOCK_AFTER_FAILURES` (5) answered guesses, and every
/// one of the owner's 16 attempts is accepted, also after that lock. Rounds 2 and 3 (each when
/// the locks have ended): both lanes guess wrong; each round answers exactly 5 per lane, until
/// the trusted lane blocks at its own 10 (`min(15, 2 × 5)`) and the untrusted lane at 15. Every
/// answered guess is one stored failure and one budget charge: none lost, none counted twice.
#[test]
fn trusted_and_untrusted_lanes_count_exactly_under_contention() {
    use portal_codes::{device, pin, state};
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    let (pin_row, dev_row) = (20_i64, 21_i64);
    pg::insert_fresh(&mut c, pin_row);
    pg::insert_fresh(&mut c, dev_row);
    let mut ctx = Context::new(&[10; 32], 0).unwrap();
    ctx.set(portal_codes::Setting::PinIterations, 10_000).unwrap();
    let ctx = Arc::new(ctx);
    let stored = Arc::new(pin::hash(&ctx, "account-20", "385027").unwrap().as_str().to_owned());
    let t0 = 1_800_000_000;
    // The owner's device is trusted: the issue is stored before the token is handed out.
    let ((token, events), _) = pg::cas(&mut c, dev_row, |blob| {
        let before = *blob;
        let t = device::issue(&ctx, "account-20", t0, blob).unwrap();
        (t.as_str().to_owned(), state::events(&ctx, &before, blob, t0).unwrap())
    });
    assert_eq!((events.flags, events.trusted_at), (state::EVENT_DEVICE_TRUSTED, t0));
    let token = Arc::new(token);
    let lane = move |w: usize| if w.is_multiple_of(2) { dev_row } else { pin_row };
    // One round: worker `w` types the right PIN if `right(w)`, else a wrong one of its own.
    let round = |now: u64, right: fn(usize) -> bool| {
        let (ctx, stored, token) = (Arc::clone(&ctx), Arc::clone(&stored), Arc::clone(&token));
        race_rows(&server, lane, move |w, blob| {
            let typed = if right(w) { "385027".to_owned() } else { format!("{:06}", 100_000 + w) };
            if w.is_multiple_of(2) {
                device::pin_verify(&ctx, "account-20", &typed, stored.as_str(), &token, now, blob)
            } else {
                pin::verify(&ctx, "account-20", &typed, stored.as_str(), now, blob)
            }
        })
    };
    // The verdicts of one lane (`trusted`) in a round: how many of each.
    let tally = |verdicts: &[(portal_codes::Result<()>, u32)], trusted: bool| {
        let mut n = [0usize; 4]; // OK, WRONG, LOCKED, BLOCKED
        for (w, (v, _)) in verdicts.iter().enumerate().filter(|(w, _)| w.is_multiple_of(2) == trusted) {
            match v {
                Ok(()) => n[0] += 1,
                Err(Error::Wrong) => n[1] += 1,
                Err(Error::Locked) => n[2] += 1,
                Err(Error::Blocked) => n[3] += 1,
                Err(e) => panic!("worker {w}: {e:?}"),
            }
        }
        n
    };
    let lanes = |c: &mut pg::Client| {
        let (p, d) = (pg::load(c, pin_row), pg::load(c, dev_row));
        (State::decode(&p, Kind::Pin).unwrap(), State::decode(&d, Kind::Device).unwrap())
    };

    // Round 1: the owner's device (right PIN) against the untrusted lane's guesses.
    let v = round(t0, |w| w.is_multiple_of(2));
    assert_eq!(tally(&v, true), [16, 0, 0, 0], "the owner is in: {v:?}");
    assert_eq!(tally(&v, false), [0, 5, 11, 0], "the untrusted lane locks after exactly 5: {v:?}");
    let lost: u32 = v.iter().map(|(_, l)| l).sum();
    let (p, d) = lanes(&mut c);
    assert_eq!((p.failures, p.budget, p.locked_until), (5, 5, t0 + 900));
    assert_eq!((d.failures, d.budget, d.locked_until), (0, 0, 0));
    // While the untrusted lane is locked, the trusted device is still accepted.
    let (r, _) = pg::cas(&mut c, dev_row, |blob| {
        device::pin_verify(&ctx, "account-20", "385027", stored.as_str(), &token, t0 + 1, blob)
    });
    assert_eq!(r, Ok(()));
    let (r, _) = pg::cas(&mut c, pin_row, |blob| {
        pin::verify(&ctx, "account-20", "385027", stored.as_str(), t0 + 1, blob)
    });
    assert_eq!(r, Err(Error::Locked));

    // Round 2, when the untrusted lane's lock has ended: both lanes guess.
    let v = round(t0 + 900, |_| false);
    assert_eq!(tally(&v, true), [0, 5, 11, 0], "the trusted lane locks after its 5: {v:?}");
    assert_eq!(tally(&v, false), [0, 5, 11, 0], "the untrusted lane's second lock after 5 more: {v:?}");
    let (p, d) = lanes(&mut c);
    assert_eq!((p.failures, p.budget, p.locked_until), (10, 10, t0 + 900 + 1800));
    assert_eq!((d.failures, d.budget, d.locked_until), (5, 5, t0 + 900 + 900));

    // Round 3, when both locks have ended: the trusted lane blocks at 10, the untrusted at 15.
    let v = round(t0 + 2700, |_| false);
    assert_eq!(tally(&v, true), [0, 5, 0, 11], "the trusted lane blocks at exactly 10: {v:?}");
    assert_eq!(tally(&v, false), [0, 5, 0, 11], "the untrusted lane blocks at exactly 15: {v:?}");
    let (p, d) = lanes(&mut c);
    assert_eq!((p.failures, p.budget, p.locked_until), (15, 15, portal_codes::state::BLOCKED));
    assert_eq!((d.failures, d.budget, d.locked_until), (10, 10, portal_codes::state::BLOCKED));
    eprintln!("lanes: round 1 lost {lost} writes to contention");
}

// ---------------------------------------------------------------- link codes: forged codes (issue 22 §3)

/// Forgers and the holders of the real link code race on one record: the lock that forged codes
/// earn refuses forged codes only. Round 1: 4 workers redeem the real code while 28 submit forged
/// codes for the record (well-formed, under another key): the real code is redeemed exactly once
/// (the others `ALREADY_USED`), exactly 5 forged codes are counted, every other one is `LOCKED`.
/// Two forger-only rounds after the locks block the record (15 failures). Then a new code is
/// issued (the block stays) and round 4 races again: the real code is redeemed exactly once on
/// the blocked record, every forged code is `BLOCKED`, and the block stays.
#[test]
fn forged_link_codes_lock_out_forgers_only() {
    use portal_codes::link::{self, Child};
    let Some(server) = pg::Server::start() else { return };
    let mut c = server.connect();
    pg::create_table(&mut c);
    let record = 1_234_567_i64;
    pg::insert_fresh(&mut c, record);
    let ctx = Arc::new(Context::new(&[11; 32], 0).unwrap());
    let forger = Context::new(&[12; 32], 0).unwrap();
    let child = || Child::new("Иванова Мария Петровна", "2015-03-08", "F", "112-233-445 95");
    const HOLDERS: usize = 4;
    let forged: Arc<Vec<String>> = Arc::new(
        (0..WORKERS)
            .map(|_| {
                let mut scratch = [0u8; portal_codes::STATE_BYTES];
                let f = link::issue(&forger, record as u64, &child(), 1_800_000_000, &mut scratch).unwrap();
                assert_eq!(link::parse(f.as_str()), Ok(record as u64));
                f.as_str().to_owned()
            })
            .collect(),
    );
    let header = |c: &mut pg::Client| {
        let s = State::decode(&pg::load(c, record), Kind::Link).unwrap();
        (s.failures, s.locked_until)
    };
    // One race at `now`: workers below `holders` redeem `code`, the others their forged code.
    let round = |code: Option<String>, now: u64| {
        let (ctx, forged) = (Arc::clone(&ctx), Arc::clone(&forged));
        let verdicts = race(&server, record, move |w, blob| match &code {
            Some(code) if w < HOLDERS => (true, link::redeem(&ctx, code, &child(), now, blob)),
            _ => (false, link::redeem(&ctx, &forged[w], &child(), now, blob)),
        });
        let count = |real: bool, v: Result<(), Error>| verdicts.iter().filter(|x| **x == (real, v)).count();
        let n = |real: bool| verdicts.iter().filter(|x| x.0 == real).count();
        let real = (count(true, Ok(())), count(true, Err(Error::AlreadyUsed)), n(true));
        let forgers = (
            count(false, Err(Error::Wrong)),
            count(false, Err(Error::Locked)),
            count(false, Err(Error::Blocked)),
            n(false),
        );
        (real, forgers, verdicts)
    };

    let now = 1_800_000_000;
    let (a, _) =
        pg::cas(&mut c, record, |blob| link::issue(&ctx, record as u64, &child(), now, blob).unwrap());
    let (real, forgers, v) = round(Some(a.as_str().to_owned()), now + 1);
    assert_eq!(real, (1, HOLDERS - 1, HOLDERS), "the real code once, while forgers race: {v:?}");
    assert_eq!(forgers, (5, WORKERS - HOLDERS - 5, 0, WORKERS - HOLDERS), "{v:?}");
    assert_eq!(header(&mut c), (5, now + 1 + 900), "the lock is the forgers'");

    let (_, forgers, v) = round(None, now + 901);
    assert_eq!(forgers, (5, WORKERS - 5, 0, WORKERS), "{v:?}");
    assert_eq!(header(&mut c), (10, now + 901 + 1800));
    let (_, forgers, v) = round(None, now + 2701);
    assert_eq!(forgers, (5, 0, WORKERS - 5, WORKERS), "{v:?}");
    assert_eq!(header(&mut c), (15, u64::MAX), "blocked");

    let t = now + 2760;
    let (b, _) = pg::cas(&mut c, record, |blob| link::issue(&ctx, record as u64, &child(), t, blob).unwrap());
    assert_eq!(header(&mut c), (15, u64::MAX), "a new issue keeps the block");
    let (real, forgers, v) = round(Some(b.as_str().to_owned()), t + 1);
    assert_eq!(real, (1, HOLDERS - 1, HOLDERS), "the real code once, on the blocked record: {v:?}");
    assert_eq!(forgers, (0, 0, WORKERS - HOLDERS, WORKERS - HOLDERS), "{v:?}");
    assert_eq!(header(&mut c), (15, u64::MAX), "the block stays");
}

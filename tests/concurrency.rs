//! Exactly-once under concurrency with a real PostgreSQL: 32 workers, each with its own
//! connection, hammer one row's state blob through compare-and-swap.
//!
//! Skips (with a message) when PostgreSQL is not installed, unless `PCODES_REQUIRE_PG=1`.

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

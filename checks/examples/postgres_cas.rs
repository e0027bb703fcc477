//! Storing state blobs in PostgreSQL with compare-and-swap, the way every host should.
//!
//! `cargo run -p portal-codes-checks --example postgres_cas` starts a throw-away PostgreSQL server (Debian package
//! `postgresql`; on a Unix socket in a temporary directory, no TCP), issues an SMS code and a link
//! code, and lets eight "servers" (threads, each with its own connection) try to use each code at
//! the same moment. The compare-and-swap loop makes exactly one of them win: one server is told
//! `OK`, the seven others `ALREADY_USED` (never a success). `tests/postgres_cas_example.rs` runs
//! this example inside the test command and checks that output.
//!
//! The whole protocol, for any flow:
//!
//! ```text
//! loop {
//!     old = SELECT state FROM blobs WHERE id = $id
//!     new = old; status = library_call(..., &mut new)
//!     if UPDATE blobs SET state = $new WHERE id = $id AND state = $old changed 1 row:
//!         return status          // only now is an OK really an OK
//!     // 0 rows: another server changed the blob first; read it again and redo the call
//! }
//! ```

#[path = "../tests/pg/mod.rs"]
mod pg;

use std::sync::{Arc, Barrier};

use portal_codes::link::{self, Child};
use portal_codes::{Context, otp};

/// One library call on a state blob, returning the verdict's name.
type Call = Arc<dyn Fn(&mut [u8; 64]) -> String + Send + Sync>;

/// Eight servers run `op` on row `id` at the same moment, each through the compare-and-swap loop;
/// prints each one's stored verdict and a summary.
fn race(server: &pg::Server, id: i64, op: Call) {
    let barrier = Arc::new(Barrier::new(8));
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let mut client = server.connect();
            let (op, barrier) = (Arc::clone(&op), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let (verdict, lost) = pg::cas(&mut client, id, |blob| op(blob));
                let tries = match lost {
                    0 => "its first compare-and-swap stored it".to_owned(),
                    n => format!("after {n} lost compare-and-swap(s), each followed by a new read"),
                };
                println!("  server {w}: {verdict:<28} ({tries})");
                verdict
            })
        })
        .collect();
    let verdicts: Vec<String> = workers.into_iter().map(|w| w.join().expect("worker")).collect();
    let ok = verdicts.iter().filter(|v| *v == "OK").count();
    let used = verdicts.iter().filter(|v| *v == "PCODES_STATUS_ALREADY_USED").count();
    println!("  stored verdicts: {ok} OK, {used} ALREADY_USED, {} other", verdicts.len() - ok - used);
}

fn status(r: Result<(), portal_codes::Error>) -> String {
    match r {
        Ok(()) => "OK".into(),
        Err(e) => e.name().into(),
    }
}

fn main() -> Result<(), portal_codes::Error> {
    let Some(server) = pg::Server::start() else {
        println!("PostgreSQL is not installed (Debian package `postgresql`); nothing to show");
        return Ok(());
    };
    println!("PostgreSQL on {}", server.socket_dir().display());
    println!("each server: SELECT the blob, call the library, UPDATE … WHERE state = <the blob read>;");
    println!("a verdict is final only after that compare-and-swap succeeded (else: read again, call again)");
    let mut c = server.connect();
    pg::create_table(&mut c);
    let ctx = Arc::new(Context::new(&[0x42; 32], 1)?);
    let now = portal_codes::now();

    pg::insert_fresh(&mut c, 1);
    let (code, _) = pg::cas(&mut c, 1, |blob| otp::issue(&ctx, "login", now, blob));
    let code = code?.as_str().to_owned();
    println!("SMS code {code} sent; eight servers receive the form at once:");
    let ctx2 = Arc::clone(&ctx);
    race(&server, 1, Arc::new(move |blob| status(otp::verify(&ctx2, "login", &code, now + 10, blob))));

    let record = 77_i64;
    pg::insert_fresh(&mut c, record);
    let child = Child::new("Петров Пётр Петрович", "2016-09-01", "M", "112-233-445 95");
    let (code, _) = pg::cas(&mut c, record, |blob| link::issue(&ctx, 77, &child, now, blob));
    let code = code?.as_str().to_owned();
    println!("link code {code} issued; eight servers redeem it at once:");
    race(
        &server,
        record,
        Arc::new(move |blob| {
            let child = Child::new("Петров Пётр Петрович", "2016-09-01", "M", "112-233-445 95");
            status(link::redeem(&ctx, &code, &child, now + 60, blob))
        }),
    );
    Ok(())
}

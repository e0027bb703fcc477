//! A throw-away PostgreSQL server for tests and the `postgres_cas` example, and the
//! compare-and-swap loop every host should use for state blobs.
//!
//! The server is started from Debian's binaries (`/usr/lib/postgresql/<v>/bin`, package
//! `postgresql`) in a temporary directory, listening only on a Unix socket there (no TCP), with
//! trust authentication, and stopped when the handle drops. As root, it runs as the `postgres`
//! user (initdb refuses root).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub use postgres::{Client, NoTls};

/// A running server; stopped and deleted on drop.
pub struct Server {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

fn find_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists() && b.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Server {
    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let exe = self.bin.join(tool);
        let out = if self.as_postgres {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&exe).args(args).output()
        } else {
            Command::new(&exe).args(args).output()
        }
        .map_err(|e| format!("{tool}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Starts a server, or returns `None` (after saying why) when PostgreSQL is not installed —
    /// only when `PCODES_ALLOW_SKIP=1`; otherwise a missing server is a failure.
    pub fn start() -> Option<Self> {
        let required = std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1");
        let Some(bin) = find_bin() else {
            assert!(
                !required,
                "required (PCODES_ALLOW_SKIP is not 1) but no PostgreSQL under /usr/lib/postgresql"
            );
            eprintln!("skipped: PostgreSQL not installed (Debian package `postgresql`)");
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pcodes-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown").arg("postgres:").arg(&dir).status().is_ok_and(|s| s.success());
            assert!(ok, "chown postgres {}", dir.display());
        }
        let server = Server { dir, bin, as_postgres };
        let data = server.dir.join("data");
        let data = data.to_str().expect("UTF-8 path");
        let sock = server.dir.to_str().expect("UTF-8 path").to_owned();
        server
            .run("initdb", &["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "-N"])
            .expect("initdb");
        let opts = format!("-c listen_addresses='' -k {sock} -c max_connections=200 -c fsync=off");
        let log = format!("{sock}/server.log");
        server
            .run("pg_ctl", &["-D", data, "-o", &opts, "-l", &log, "-w", "-t", "60", "start"])
            .expect("pg_ctl start");
        Some(server)
    }

    /// The socket directory (the `host` of a connection).
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// A new connection (each worker thread takes its own).
    pub fn connect(&self) -> Client {
        postgres::Config::new()
            .host_path(&self.dir)
            .port(5432)
            .user("postgres")
            .dbname("postgres")
            .connect(NoTls)
            .expect("connect to the test server")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ =
            self.run("pg_ctl", &["-D", data.to_str().unwrap_or_default(), "-m", "immediate", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Creates (or empties) the table `blobs(id bigint primary key, state bytea not null)`.
pub fn create_table(c: &mut Client) {
    c.batch_execute(
        "CREATE TABLE IF NOT EXISTS blobs (id bigint PRIMARY KEY, state bytea NOT NULL);
         TRUNCATE blobs;",
    )
    .expect("create table");
}

/// Inserts a row with a fresh (all-zero) state blob.
pub fn insert_fresh(c: &mut Client, id: i64) {
    c.execute("INSERT INTO blobs (id, state) VALUES ($1, $2)", &[&id, &vec![0u8; portal_codes::STATE_BYTES]])
        .expect("insert");
}

/// Reads the stored blob.
pub fn load(c: &mut Client, id: i64) -> [u8; portal_codes::STATE_BYTES] {
    let row = c.query_one("SELECT state FROM blobs WHERE id = $1", &[&id]).expect("select");
    let v: Vec<u8> = row.get(0);
    v.try_into().expect("64-byte blob")
}

/// The host's side of every flow: read the blob, let the library turn it into a new one, and
/// store that with compare-and-swap; on a lost race, start again from the fresh blob. The
/// library's verdict counts only once the write has gone through. Returns the verdict and how
/// many times the race was lost.
pub fn cas<T>(
    c: &mut Client,
    id: i64,
    mut op: impl FnMut(&mut [u8; portal_codes::STATE_BYTES]) -> T,
) -> (T, u32) {
    let mut lost = 0;
    loop {
        let old = load(c, id);
        let mut new = old;
        let verdict = op(&mut new);
        let n = c
            .execute(
                "UPDATE blobs SET state = $2 WHERE id = $1 AND state = $3",
                &[&id, &new.as_slice(), &old.as_slice()],
            )
            .expect("update");
        if n == 1 {
            return (verdict, lost);
        }
        lost += 1;
    }
}

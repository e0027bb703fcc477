//! How the tour prints a step, and the check that each result is the one the step announces:
//! a result that differs stops the tour with exit status 1 (so `tests/quickstart.rs` and CI
//! notice), instead of printing a tour that no longer matches the library.

use portal_codes::Error;

/// A section: its title and one line saying what it shows.
pub fn section(title: &str, what: &str) {
    println!("\n== {title} ==");
    println!("{what}");
}

/// `OK` or the error's Rust name, `Error::Wrong`.
pub fn shown<T>(r: &Result<T, Error>) -> String {
    match r {
        Ok(_) => "OK".to_owned(),
        Err(e) => format!("Error::{e:?}"),
    }
}

/// A step that must succeed: `  what → OK`, then its value.
pub fn ok<T>(what: &str, r: Result<T, Error>) -> T {
    match r {
        Ok(v) => {
            println!("  {what} → OK");
            v
        }
        Err(e) => off_script(what, &format!("Error::{e:?}"), "OK"),
    }
}

/// A refusal the step provokes on purpose: `  what → Error::X (expected: why)`.
pub fn refused<T>(what: &str, r: Result<T, Error>, want: Error, why: &str) {
    let got = shown(&r);
    if r.err() != Some(want) {
        off_script(what, &got, &format!("Error::{want:?}"));
    }
    println!("  {what} → {got} (expected: {why})");
}

/// Stops the tour: the library answered something the tour does not explain.
pub fn off_script(what: &str, got: &str, want: &str) -> ! {
    eprintln!("quickstart: the tour went off script at “{what}”: got {got}, expected {want}");
    std::process::exit(1)
}

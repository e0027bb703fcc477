//! The harness that tests every flow's `decide` against the rows of `docs/verdicts.md`: the
//! page is read here, each flow's tests give one scenario per row number, and the status and
//! the "counted" column of the row must be what the scenario got; a row whose blob column says
//! "unchanged" must leave header and payload as they were. A row without a scenario, or a
//! scenario without a row, fails too: the page and the code cannot drift apart.

use std::string::{String, ToString};
use std::vec::Vec;

use super::{Count, Gate, Outcome, settle};
use crate::blob::State;
use crate::error::Result;
use crate::policy::Policy;

/// The page the tables are read from.
const PAGE: &str = include_str!("../../docs/verdicts.md");

/// What one call got: its status name without `PCODES_STATUS_`, its count, and whether header
/// and payload stayed as they were.
#[derive(Debug, Clone)]
pub(crate) struct Got {
    pub(crate) status: &'static str,
    pub(crate) counted: Count,
    pub(crate) unchanged: bool,
}

fn status_of<T>(r: &Result<T>) -> &'static str {
    let name = match r {
        Ok(_) => "PCODES_STATUS_OK",
        Err(e) => e.name(),
    };
    name.strip_prefix("PCODES_STATUS_").unwrap_or(name)
}

/// Runs one decision through the gate and the count, as `flow::run` does, and reports it.
pub(crate) fn got<P: Clone + PartialEq, T>(
    header: &State,
    payload: &P,
    gate: Gate,
    now: u64,
    decide: impl FnOnce(&State, &P) -> Outcome<P, T>,
) -> (Got, State, P) {
    let policy = Policy::default();
    let count = core::cell::Cell::new(Count::No);
    let decide = |h: &State, p: &P| {
        let o = decide(h, p);
        count.set(o.counted);
        Ok(o)
    };
    match settle(header, payload, gate, &policy, now, decide) {
        Err(e) => (
            Got { status: status_of::<()>(&Err(e)), counted: Count::No, unchanged: true },
            header.clone(),
            payload.clone(),
        ),
        Ok((verdict, s, p)) => {
            let unchanged = s == *header && p == *payload;
            (Got { status: status_of(&verdict), counted: count.get(), unchanged }, s, p)
        }
    }
}

/// A row of a table: its number and cells.
#[derive(Debug)]
struct Row {
    n: u32,
    cells: Vec<String>,
}

/// The numbered rows of the table under the heading that starts with `section`.
fn rows(section: &str) -> Vec<Row> {
    let start = PAGE
        .find(&["## ", section].concat())
        .unwrap_or_else(|| panic!("docs/verdicts.md has no section '## {section}'"));
    let body = &PAGE[start + 3..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end]
        .lines()
        .filter_map(|l| {
            let cells: Vec<String> =
                l.trim().strip_prefix('|')?.split('|').map(|c| c.trim().to_string()).collect();
            let n = cells.first()?.parse().ok()?;
            Some(Row { n, cells })
        })
        .collect()
}

/// The statuses a cell names (the back-quoted upper-case words).
fn statuses(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(ToString::to_string)
        .collect()
}

/// The "counted" cell as a [`Count`]: "yes" counts a failure, "—" is a success, anything else
/// ("no", "(counted in 3)") is not counted by this call.
fn count_of(cell: &str) -> Count {
    if cell.contains("yes") {
        Count::Failure
    } else if cell == "—" {
        Count::Success
    } else {
        Count::No
    }
}

/// Checks the section's table against `scenarios`: for row `n`, every call the scenario made
/// must have a status the row names, each status the row names must have been got, the count
/// must be the row's, and "unchanged" rows must change nothing. `status_col` is the index of the
/// status cell (the counted and blob cells follow it).
pub(crate) fn check(section: &str, status_col: usize, scenarios: &[(u32, &dyn Fn() -> Vec<Got>)]) {
    let table = rows(section);
    assert!(!table.is_empty(), "{section}: no numbered rows");
    let mut seen = Vec::new();
    for row in &table {
        let (_, run) = scenarios
            .iter()
            .find(|(n, _)| *n == row.n)
            .unwrap_or_else(|| panic!("{section}: row {} has no scenario", row.n));
        seen.push(row.n);
        let want = statuses(&row.cells[status_col]);
        let counted = count_of(&row.cells[status_col + 1]);
        let blob = &row.cells[status_col + 2];
        let got = run();
        assert!(!got.is_empty(), "{section} row {}: the scenario made no call", row.n);
        for g in &got {
            assert!(
                want.iter().any(|w| w == g.status),
                "{section} row {}: got {} but the row says {want:?}",
                row.n,
                g.status
            );
            assert_eq!(g.counted.column(), counted, "{section} row {} ({}): counted", row.n, g.status);
            if blob.starts_with("unchanged") {
                assert!(g.unchanged, "{section} row {} ({}): the blob changed", row.n, g.status);
            } else {
                assert!(!g.unchanged, "{section} row {} ({}): '{blob}' but nothing changed", row.n, g.status);
            }
        }
        for w in &want {
            assert!(got.iter().any(|g| g.status == w), "{section} row {}: {w} never got", row.n);
        }
    }
    for (n, _) in scenarios {
        assert!(seen.contains(n), "{section}: scenario {n} has no row in docs/verdicts.md");
    }
}

/// A header of `kind` with `failures` counted and no lock.
pub(crate) fn header(kind: crate::blob::Kind, failures: u16) -> State {
    let mut s = State::fresh(kind);
    s.failures = failures;
    s
}

/// A header that is locked at `now` (`blocked` = until reset).
pub(crate) fn locked(fresh: State, now: u64, blocked: bool) -> State {
    let mut s = fresh;
    s.failures = 5;
    s.locked_until = if blocked { crate::blob::BLOCKED } else { now + 60 };
    s
}

/// Both lock rows (`LOCKED`, `BLOCKED`) through the gate, with any decision behind it.
pub(crate) fn gate_rows<P: Clone + PartialEq, T>(
    fresh: &State,
    payload: &P,
    now: u64,
    decide: impl Fn(&State, &P) -> Outcome<P, T>,
) -> Vec<Got> {
    [false, true]
        .into_iter()
        .map(|blocked| got(&locked(fresh.clone(), now, blocked), payload, Gate::Lockout, now, &decide).0)
        .collect()
}

#[test]
fn parser_reads_the_page() {
    let link = rows("Link codes");
    assert_eq!(link.first().map(|r| r.n), Some(1));
    assert_eq!(statuses("`LOCKED` / `BLOCKED`"), ["LOCKED", "BLOCKED"]);
    assert_eq!(count_of("**yes**"), Count::Failure);
    assert_eq!(count_of("(counted in 3)"), Count::No);
}

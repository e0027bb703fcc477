//! Link codes: the portal issues a code for a child's record, the parent types it (with a typo
//! first), the portal finds the record from the code and redeems it.

use portal_codes::link::{self, Child};
use portal_codes::{Context, Error, Lang, STATE_BYTES};

pub fn run(ctx: &Context) -> Result<(), Error> {
    println!("\n== link codes ==");
    let now = portal_codes::now();
    let record_id = 4_815_162_342;
    let child = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95");

    // Without a SNILS no code is issued.
    let incomplete = Child::new("Иванов Иван Иванович", "2015-03-08", "М", "");
    if let Err(bits) = incomplete.check() {
        println!("missing fields (bits): {bits}");
    }

    // The record's state blob, stored next to the record (all zeros = nothing issued yet).
    let mut state = [0u8; STATE_BYTES];
    let code = link::issue(ctx, record_id, &child, now, &mut state)?;
    println!("issued for record {record_id}: {}", code.as_str());

    // The parent types it in lower case, without hyphens, and swaps two symbols.
    let mut typed: Vec<char> = code.as_str().to_lowercase().chars().filter(|&c| c != '-').collect();
    let i = (0..24).find(|&i| typed[i] != typed[i + 1]).unwrap_or(0);
    typed.swap(i, i + 1);
    let typo: String = typed.iter().collect();
    match link::parse(&typo) {
        Err(e) => println!("parent typed {typo:?}: {} ({})", e.name(), e.message(Lang::En)),
        Ok(id) => println!("unexpected: parsed {id}"),
    }

    // Second try, correct this time; a minute later.
    let typed = code.as_str().to_lowercase().replace('-', " ");
    let found = link::parse(&typed)?;
    println!("parent typed {typed:?}: record {found}");
    link::redeem(ctx, &typed, &child, now + 60, &mut state)?;
    println!("redeemed: the child is now linked");
    let again = link::redeem(ctx, &typed, &child, now + 90, &mut state);
    println!("the same code again: {:?}", again.map_err(|e| e.name()));

    // Another record: the child's name is corrected after the code was issued. The code is then
    // dead for good, even if the edit is undone; a new code works.
    let mut record = [0u8; STATE_BYTES];
    let old = link::issue(ctx, record_id + 1, &child, now, &mut record)?;
    let edited = Child::new("Иванов Иван Петрович", "2015-03-08", "М", "112-233-445 95");
    let show = |r: Result<(), Error>| r.map_or_else(|e| e.name(), |()| "OK");
    println!("after a name edit: {}", show(link::redeem(ctx, old.as_str(), &edited, now + 10, &mut record)));
    println!("edit undone:       {}", show(link::redeem(ctx, old.as_str(), &child, now + 20, &mut record)));
    let new = link::issue(ctx, record_id + 1, &child, now + 30, &mut record)?;
    println!("a new code:        {}", show(link::redeem(ctx, new.as_str(), &child, now + 40, &mut record)));
    println!("the old one now:   {}", show(link::redeem(ctx, old.as_str(), &child, now + 50, &mut record)));
    Ok(())
}

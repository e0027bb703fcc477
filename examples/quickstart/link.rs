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
    println!("missing fields (bits): {}", incomplete.missing());

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
    Ok(())
}

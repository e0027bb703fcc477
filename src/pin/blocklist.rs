//! The data-driven part of the weak-PIN blocklist, compiled into the crate as two bitsets.
//!
//! # Provenance
//!
//! Built by `tools/gen_pin_blocklist.py` (standard-library Python) from the companion data of
//! Markert, Bichsel, Golla, Mayer, *"This PIN Can Be Easily Guessed: Analyzing the Security of
//! Smartphone Unlock PINs"*, IEEE Symposium on Security and Privacy 2020 (arXiv 2003.04868),
//! published at `this-pin-can-be-easily-guessed.github.io` (folder `media/`):
//!
//! | bitset | PINs | built from |
//! |---|---|---|
//! | `weak4.bin` (1,250 bytes) | 1,000 of 10,000 (10%) | the 274 four-digit PINs iOS warns about, then the four-digit strings most frequent as whole passwords in the `RockYou` leak (the paper's `RockYou-4-digit` list, counted; ties in list order) |
//! | `weak6.bin` (125,000 bytes) | 100,000 of 1,000,000 (10%) | the 2,910 six-digit PINs iOS warns about, then the paper's data-driven ranking `DD-6-digit-291000`, most guessable first |
//!
//! The paper's finding behind the size: blocking about 10% of the space gives most of the
//! benefit against a throttled attacker, while refusing few of the PINs people actually choose.
//!
//! Layout: PIN value `v` (the digits read as a decimal number; the length picks the bitset) is
//! bit `v % 8` of byte `v / 8`. A lookup is one load, no allocation.
//!
//! The pattern rules (repeated digit, runs, keypad lines, repeated halves, dates, years, the
//! holder's birth date) are checked at run time by [`super::policy`], so that a refusal can
//! name its rule; they are not folded into these files.

/// Bitset over all 4-digit PINs (10,000 bits).
pub static WEAK4: &[u8; 1_250] = include_bytes!("weak4.bin");
/// Bitset over all 6-digit PINs (1,000,000 bits).
pub static WEAK6: &[u8; 125_000] = include_bytes!("weak6.bin");

/// Whether the `len`-digit PIN with decimal value `value` is on the data-driven blocklist.
/// Lengths other than 4 and 6, and values out of range, are not on it.
#[must_use]
#[inline]
pub fn contains(len: usize, value: u32) -> bool {
    let bits: &[u8] = match len {
        4 => WEAK4,
        6 => WEAK6,
        _ => return false,
    };
    bits.get((value / 8) as usize).is_some_and(|b| b >> (value % 8) & 1 == 1)
}

/// How many PINs of `len` digits the bitset holds.
#[must_use]
pub fn count(len: usize) -> u32 {
    let bits: &[u8] = match len {
        4 => WEAK4,
        6 => WEAK6,
        _ => return 0,
    };
    bits.iter().map(|b| b.count_ones()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    /// The shared data directory, if this checkout has one.
    fn data_dir() -> Option<std::path::PathBuf> {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        [here.join("../shared/data"), std::path::PathBuf::from("/work/shared/data")]
            .into_iter()
            .find(|d| d.join("pins-4digit-rockyou-ranked.txt").is_file())
    }

    fn read(dir: &std::path::Path, name: &str) -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(String::from))
            .collect()
    }

    /// Independent re-derivation of `tools/gen_pin_blocklist.py`'s selection: the iOS list,
    /// then the ranked list in order, until 10% of the space.
    fn derive(dir: &std::path::Path, len: usize, ios: &str, ranked: &str) -> Vec<u8> {
        let target = 10usize.pow(len as u32) / 10;
        let mut set = std::collections::BTreeSet::new();
        for p in read(dir, ios) {
            assert_eq!(p.len(), len);
            set.insert(p.parse::<u32>().unwrap());
        }
        for p in read(dir, ranked) {
            if set.len() >= target {
                break;
            }
            assert_eq!(p.len(), len);
            set.insert(p.parse::<u32>().unwrap());
        }
        assert_eq!(set.len(), target);
        let mut bits = std::vec![0u8; 10usize.pow(len as u32) / 8];
        for v in set {
            bits[(v / 8) as usize] |= 1 << (v % 8);
        }
        bits
    }

    #[test]
    fn committed_bitsets_match_the_data() {
        let Some(dir) = data_dir() else {
            std::println!("skipped: ../shared/data not present (the committed bitsets are used as is)");
            return;
        };
        let b4 = derive(&dir, 4, "pins-4digit-ios-blocklist.txt", "pins-4digit-rockyou-ranked.txt");
        assert!(b4[..] == WEAK4[..], "weak4.bin differs from the data: run tools/gen_pin_blocklist.py");
        let b6 = derive(&dir, 6, "pins-6digit-ios-blocklist.txt", "pins-6digit-datadriven-ranked.txt");
        assert!(b6[..] == WEAK6[..], "weak6.bin differs from the data: run tools/gen_pin_blocklist.py");
        // Every iOS-listed PIN and the top of each ranking are in.
        for p in read(&dir, "pins-4digit-ios-blocklist.txt") {
            assert!(contains(4, p.parse().unwrap()), "{p}");
        }
        for p in read(&dir, "pins-6digit-datadriven-ranked.txt").iter().take(1000) {
            assert!(contains(6, p.parse().unwrap()), "{p}");
        }
    }

    #[test]
    fn sizes_and_well_known_members() {
        assert_eq!(WEAK4.len(), 1_250);
        assert_eq!(WEAK6.len(), 125_000);
        assert_eq!(count(4), 1_000);
        assert_eq!(count(6), 100_000);
        assert_eq!(count(5), 0);
        for p in [1234, 1111, 0, 1212, 7777, 2580] {
            assert!(contains(4, p), "{p:04}");
        }
        for p in [123_456, 654_321, 111_111, 0, 123_123, 159_753] {
            assert!(contains(6, p), "{p:06}");
        }
        assert!(!contains(5, 12_345));
        assert!(!contains(4, 10_000), "out of range");
        assert!(!contains(6, u32::MAX));
    }
}

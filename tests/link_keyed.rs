//! Link blobs hold keyed fingerprints of the child's data (issue 20 §5, state layout 3): not
//! the unkeyed SHA-256 that layout 2 stored (from which a SNILS was recovered by trying
//! candidates), different under every key, and consistent across a key rotation. The blob's
//! bytes against an independent Python reader are in `tests/link.rs::state_layout_matches_python`.

use portal_codes::link::{self, Child};
use portal_codes::rng::{ChaCha20Rng, SeedableRng};
use portal_codes::{Context, Error, STATE_BYTES};

const KEY_OLD: [u8; 32] = [0x17; 32];
const KEY_NEW: [u8; 32] = [0x42; 32];
/// 2025-06-15 13:46:40 UTC.
const NOW: u64 = 1_750_000_000;
const RECORD: u64 = 4_815_162_342;

fn ivan() -> Child<'static> {
    Child::new("Иванов Иван Иванович", "2015-03-08", "М", "112-233-445 95")
}

fn ctx() -> Context {
    Context::new(&KEY_OLD, 1).unwrap()
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([5; 32])
}

fn failures(state: &[u8; STATE_BYTES]) -> u16 {
    u16::from_le_bytes([state[2], state[3]])
}

/// Rotation with keyed fingerprints (issue 20): each fingerprint in the blob is keyed with its
/// own code's key, so across a rotation between two issues the previous code (old key) and the
/// latest (new key) each keep every verdict: the latest redeems or is DATA_CHANGED, the previous
/// is SUPERSEDED for today's data and DATA_CHANGED for changed data.
#[test]
fn rotation_between_issues_keeps_every_verdict() {
    let mut rotated = Context::new(&KEY_NEW, 2).unwrap();
    rotated.add_key(&KEY_OLD, 1).unwrap();
    let maria = Child::new("Иванова Мария", "2016-04-02", "F", "112-233-445 95");
    let mut st = [0u8; STATE_BYTES];
    let old = link::issue_with_rng(&ctx(), RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    let new = link::issue_with_rng(&rotated, RECORD, &ivan(), NOW + 60, &mut st, &mut rng()).unwrap();
    let issued = st;
    let mut s = issued;
    assert_eq!(link::redeem(&rotated, old.as_str(), &ivan(), NOW + 61, &mut s), Err(Error::Superseded));
    assert_eq!(link::redeem(&rotated, old.as_str(), &maria, NOW + 61, &mut s), Err(Error::DataChanged));
    assert_eq!(link::redeem(&rotated, new.as_str(), &ivan(), NOW + 62, &mut s), Ok(()));
    let mut s = issued;
    assert_eq!(link::redeem(&rotated, new.as_str(), &maria, NOW + 61, &mut s), Err(Error::DataChanged));
    assert_eq!(
        link::redeem(&rotated, new.as_str(), &ivan(), NOW + 62, &mut s),
        Err(Error::DataChanged),
        "stale"
    );
    assert_eq!(failures(&s), 0);
}

/// The fingerprints a link blob holds are keyed (issue 20): the bytes at payload offsets 10..25
/// are not the unkeyed SHA-256 of the child's data that layout 2 stored (from which a SNILS was
/// recovered by trying candidates), and the same child under another master key, or the same
/// master key under another key id, gives other bytes.
#[test]
fn blob_fingerprints_cannot_be_recomputed_from_the_child_data() {
    use portal_codes::mac::{Sha256, hash};
    let blob_fp = |c: &Context| {
        let mut st = [0u8; STATE_BYTES];
        link::issue_with_rng(c, RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
        st[34..49].to_vec()
    };
    let fp = blob_fp(&ctx());
    // ivan(): "Иванов Иван Иванович", 2015-03-08, М, 112-233-445 95, canonically.
    let unkeyed = hash::<Sha256>(&[
        b"portal-codes/child/v1\0",
        "иванов иван иванович".as_bytes(),
        b"\0",
        b"2015-03-08M11223344595",
    ]);
    assert_ne!(fp, unkeyed[..15], "the blob holds the unkeyed SHA-256 of the child's data");
    assert_eq!(fp, ivan().fingerprint(&ctx(), NOW).unwrap().to_vec());
    assert_ne!(fp, blob_fp(&Context::new(&KEY_NEW, 1).unwrap()), "another master key");
    assert_ne!(fp, blob_fp(&Context::new(&KEY_OLD, 2).unwrap()), "another key id");
    // The previous fingerprint is keyed too.
    let mut st = [0u8; STATE_BYTES];
    link::issue_with_rng(&ctx(), RECORD, &ivan(), NOW, &mut st, &mut rng()).unwrap();
    link::issue_with_rng(&ctx(), RECORD, &ivan(), NOW + 1, &mut st, &mut rng()).unwrap();
    assert_eq!(st[49..64], fp[..]);
}

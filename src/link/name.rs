//! The canonical form of a child's full name, streamed into a hash (see [`super::child`] and
//! `docs/link-code.md`): leading and trailing white space removed, every inner run of Unicode
//! white space one ASCII space, every letter lower-cased with [`char::to_lowercase`], `ё`
//! folded to `е`, decomposed `и` + U+0306 and `е` + U+0308 composed. ASCII and the basic
//! Cyrillic letters take byte fast paths, checked against the character-at-a-time form.

use crate::mac::{Hasher, Sha256};

/// `str::trim` (Unicode white space), without its searcher when neither end is white space.
///
/// The ends are first judged by their bytes: a printable ASCII character other than space, or
/// a two-byte character with lead byte `C3`–`DF` (U+00C0–U+07FF: no white space there; the
/// white space above ASCII is U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
/// U+205F and U+3000), is not white space, with no character decoded and no Unicode table read.
/// Anything else is decided by `char::is_whitespace`.
#[inline(always)]
pub(super) fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let plain = |x: u8| (0x21..0x7f).contains(&x);
    let two_byte_lead = |x: u8| (0xC3..=0xDF).contains(&x);
    let first = b.first().is_some_and(|&x| plain(x) || two_byte_lead(x));
    let last = match b {
        [.., x, y] if two_byte_lead(*x) && (0x80..0xC0).contains(y) => true,
        [.., y] => plain(*y),
        [] => false,
    };
    if first && last {
        return s;
    }
    let keep = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if keep(s.chars().next()) && keep(s.chars().next_back()) { s } else { s.trim() }
}

/// Collects small writes into whole blocks for the hash: each full block is compressed where
/// it was written ([`Hasher::update_block`]), with no second copy into the hasher's own buffer.
/// The buffer has [`SLACK`] bytes past the block, so a write of up to four bytes never has to
/// be split: it goes in whole, and what spilled past the block moves to its start after the
/// block is hashed.
pub(super) struct Sink<'h> {
    h: &'h mut Hasher<Sha256>,
    buf: [u8; BLOCK + SLACK],
    len: usize,
}

/// A SHA-256 block.
const BLOCK: usize = 64;
/// Room past the block for the longest single write of [`Sink::put_small`] and
/// [`Sink::push_char`] (a UTF-8 character).
const SLACK: usize = 4;

impl<'h> Sink<'h> {
    #[inline(always)]
    pub(super) fn new(h: &'h mut Hasher<Sha256>) -> Self {
        Self { h, buf: [0; BLOCK + SLACK], len: 0 }
    }

    /// Hashes the full block and moves the bytes written past it to the start (`len` ≥ 64).
    #[inline(never)]
    fn spill(&mut self, len: usize) -> usize {
        if let Ok(block) = <&[u8; BLOCK]>::try_from(&self.buf[..BLOCK]) {
            self.h.update_block(block);
        }
        self.buf.copy_within(BLOCK..BLOCK + SLACK, 0);
        len - BLOCK
    }

    #[inline(always)]
    pub(super) fn push(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let take = (BLOCK - self.len).min(bytes.len());
            self.buf[self.len..self.len + take].copy_from_slice(&bytes[..take]);
            self.len += take;
            bytes = &bytes[take..];
            if self.len >= BLOCK {
                self.len = self.spill(self.len);
            }
        }
    }

    /// One or two bytes of canonical text (the fast paths of [`hash_name`]), with the sink's
    /// length kept by the caller in `len` (stored back into the sink around a spill).
    #[inline(always)]
    fn put_small(&mut self, len: &mut usize, bytes: [u8; 2], n: usize) {
        if let Some(dst) = self.buf.get_mut(*len..*len + 2) {
            dst.copy_from_slice(&bytes);
            *len += n;
        }
        if *len >= BLOCK {
            *len = self.spill(*len);
        }
    }

    fn push_char(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        let n = c.encode_utf8(&mut tmp).len();
        self.push(&tmp[..n]);
    }

    /// Hands the bytes not yet hashed to the hasher (at the end).
    #[inline(always)]
    pub(super) fn flush(&mut self) {
        self.h.update(&self.buf[..self.len]);
        self.len = 0;
    }
}

/// The canonical lower-case form of one letter: `char::to_lowercase`, then ё → е. Basic Latin
/// and the Cyrillic capitals/small letters take a table-free fast path (checked against
/// `to_lowercase` for every scalar value by a test).
fn push_lower(out: &mut Sink<'_>, c: char) {
    let fast = match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' => Some(c.to_ascii_lowercase()),
        'Ё' | 'ё' => Some('е'),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'а'..='я' => Some(c),
        _ => None,
    };
    if let Some(l) = fast {
        out.push_char(l);
        return;
    }
    for l in c.to_lowercase() {
        out.push_char(if l == 'ё' { 'е' } else { l });
    }
}

/// The lower-case form of a two-byte Cyrillic letter А–я, Ё, ё (UTF-8 `x y`), ё folded to е,
/// as UTF-8; `None` for any other two-byte sequence.
fn cyrillic_lower(x: u8, y: u8) -> Option<[u8; 2]> {
    match (x, y) {
        (0xD0, 0x90..=0x9F) => Some([0xD0, y + 0x20]), // А–П → а–п
        (0xD0, 0xA0..=0xAF) => Some([0xD1, y - 0x20]), // Р–Я → р–я
        (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F) => Some([x, y]), // а–я
        (0xD0, 0x81) | (0xD1, 0x91) => Some([0xD0, 0xB5]), // Ё, ё → е
        _ => None,
    }
}

/// Streams the canonical form of a (trimmed) name into `out`: a plain name (most names) 16
/// bytes at a time by [`plain_name_lower`], any other by [`hash_name_bytes`].
#[inline(always)]
pub(super) fn hash_name(out: &mut Sink<'_>, name: &str) {
    let mut plain = [0u8; PLAIN_MAX];
    if let Some(canon) = plain_name_lower(name.as_bytes(), &mut plain) {
        out.push(canon);
    } else {
        hash_name_bytes(out, name);
    }
}

/// [`hash_name`] for names [`plain_name_lower`] does not take: ASCII and the basic Cyrillic
/// letters a byte or two at a time, everything else (and any letter followed by a combining
/// mark, U+0300–U+033F) by [`hash_name_chars`].
#[inline(always)]
fn hash_name_bytes(out: &mut Sink<'_>, name: &str) {
    let b = name.as_bytes();
    let mut i = 0;
    let mut space = false;
    // The sink's length in a local (a register) through the fast paths: updating `out.len` in
    // memory for every character made a store-to-load chain that showed in `perf` (issue 23).
    let mut len = out.len;
    while let Some(&x) = b.get(i) {
        let next = b.get(i + 1).copied();
        if x < 0x80 {
            // `char::is_whitespace` on ASCII.
            if x.is_ascii_whitespace() || x == 0x0b {
                space = true;
            } else {
                if space {
                    out.put_small(&mut len, [b' ', 0], 1);
                    space = false;
                }
                out.put_small(&mut len, [x.to_ascii_lowercase(), 0], 1);
            }
            i += 1;
            continue;
        }
        if let Some(y) = next
            && b.get(i + 2) != Some(&0xCC)
            && let Some(l) = cyrillic_lower(x, y)
        {
            if space {
                out.put_small(&mut len, [b' ', 0], 1);
                space = false;
            }
            out.put_small(&mut len, l, 2);
            i += 2;
            continue;
        }
        // One character (and a combining mark after it) the general way.
        let rest = name.get(i..).unwrap_or_default();
        out.len = len;
        let taken = hash_name_chars(out, rest, &mut space, true);
        len = out.len;
        i += taken;
    }
    out.len = len;
}

/// The longest name (in bytes) that [`plain_name_lower`] takes: 48 Cyrillic letters.
const PLAIN_MAX: usize = 96;
/// [`plain_name_lower`] works on this many bytes at a time: one 128-bit vector, a fixed count
/// the compiler turns into vector instructions.
const PLAIN_CHUNK: usize = 16;

/// The canonical form of a "plain" name, which is most names at a Russian portal: every
/// character printable ASCII or a basic Cyrillic letter (А–я, Ё, ё), spaces single and not at
/// the end. Such a name's canonical form has its length, and each byte of it depends only on
/// the bytes either side, so the whole name is lower-cased 16 bytes at a time with no branch
/// (the character loop of [`hash_name_bytes`] mispredicted a branch at every change of letter
/// class; issue 23). `None` for any other name, or one longer than [`PLAIN_MAX`]; then
/// [`hash_name_bytes`] decides. Refusing is always safe: this only has to be right for the
/// names it takes, which `plain_name_path_agrees_with_the_char_path` checks.
#[inline(always)]
fn plain_name_lower<'o>(bytes: &[u8], out: &'o mut [u8; PLAIN_MAX]) -> Option<&'o [u8]> {
    let n = bytes.len();
    if bytes.last() == Some(&b' ') {
        return None;
    }
    // The name between plain letters: every byte sees the one before and after it, and the
    // bytes past the end (whose results are dropped) are plain.
    let mut pad = [b'a'; PLAIN_MAX + 2];
    pad.get_mut(1..=n)?.copy_from_slice(bytes);
    let mask = |x: bool| 0u8.wrapping_sub(u8::from(x));
    let mut bad = 0u8;
    for (k, chunk) in out.chunks_exact_mut(PLAIN_CHUNK).enumerate().take(n.div_ceil(PLAIN_CHUNK)) {
        let win: &[u8; PLAIN_CHUNK + 2] = pad.get(k * PLAIN_CHUNK..)?.first_chunk()?;
        for (j, o) in chunk.iter_mut().enumerate() {
            let (p, c, nx) = (win[j], win[j + 1], win[j + 2]);
            // Signed bytes: 80–BF (second bytes) are below -0x40, leads C0–FF from -0x40 to -1.
            let (sc, sn) = (c.cast_signed(), nx.cast_signed());
            let (after_d0, after_d1) = (mask(p == 0xD0), mask(p == 0xD1));
            let (below_90, is_81, is_91) = (mask(sc < -0x70), mask(c == 0x81), mask(c == 0x91));
            // Not plain: a lead other than D0/D1 (so any second byte not after D0/D1 is
            // refused with its lead), D0 80 or 82–8F, D1 90 or 92–BF, a control character, a
            // space after a space.
            bad |= mask((-0x40..0).contains(&sc) && c & 0xFE != 0xD0)
                | (after_d0 & below_90 & !is_81)
                | (after_d1 & !below_90 & !is_91)
                | mask((0..0x20).contains(&sc))
                | mask(c == b' ' && p == b' ');
            let delta = (mask(c.wrapping_sub(b'A') < 26) & 0x20) // A–Z → a–z
                // after D0: 90–9F +20 (А–П → а–п), A0–AF −20 (Р–Я → р–я), 81 +34 (Ё → е)
                .wrapping_add(
                    after_d0
                        & (mask(sc < -0x50) & 0xE0)
                            .wrapping_add(mask(sc < -0x60) & 0x40)
                            .wrapping_add(is_81 & 0x14),
                )
                .wrapping_add(after_d1 & is_91 & 0x24) // D1 91 → D0 B5 (ё → е)
                .wrapping_add(mask(c == 0xD0 && (-0x60..-0x50).contains(&sn)) & 1) // Р–Я: D0 → D1
                .wrapping_add(mask(c == 0xD1 && nx == 0x91)); // ё: D1 → D0
            *o = c.wrapping_add(delta);
        }
    }
    if bad == 0 { out.get(..n) } else { None }
}

/// The general form of [`hash_name`] over `name`, with the pending-space flag `space`; if `one`,
/// it stops after one character (with its combining mark). Returns the bytes consumed.
fn hash_name_chars(out: &mut Sink<'_>, name: &str, space: &mut bool, one: bool) -> usize {
    let mut chars = name.chars().peekable();
    let mut consumed = 0;
    while let Some(mut c) = chars.next() {
        consumed += c.len_utf8();
        if c.is_whitespace() {
            *space = true;
            if one {
                break;
            }
            continue;
        }
        if *space {
            out.push_char(' ');
            *space = false;
        }
        // Decomposed Cyrillic: и + combining breve is й; е + combining diaeresis is ё (→ е).
        match (c, chars.peek()) {
            ('и', Some('\u{306}')) => {
                chars.next();
                consumed += 2;
                c = 'й';
            }
            ('И', Some('\u{306}')) => {
                chars.next();
                consumed += 2;
                c = 'Й';
            }
            ('е' | 'Е' | 'ё' | 'Ё', Some('\u{308}')) => {
                chars.next();
                consumed += 2;
            }
            _ => {}
        }
        push_lower(out, c);
        if one {
            break;
        }
    }
    consumed
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    /// The fast lower-casing path agrees with `char::to_lowercase` (+ ё → е) on every scalar value.
    #[test]
    fn fast_lowercase_agrees_with_to_lowercase_everywhere() {
        let mut h = Hasher::<Sha256>::new();
        for c in (0..=0x10_FFFF_u32).filter_map(char::from_u32) {
            let mut fast = Sink::new(&mut h);
            push_lower(&mut fast, c);
            let got = std::vec::Vec::from(&fast.buf[..fast.len]);
            let mut want = std::string::String::new();
            for l in c.to_lowercase() {
                want.push(if l == 'ё' { 'е' } else { l });
            }
            assert_eq!(got, want.as_bytes(), "{c:?}");
        }
    }

    /// `trim`'s byte test of the ends agrees with `str::trim` for every scalar value alone, at
    /// the start and at the end of a name.
    #[test]
    fn trim_agrees_with_str_trim_for_every_character() {
        let mut buf = std::string::String::new();
        for c in (0..=0x10_FFFF_u32).filter_map(char::from_u32) {
            for (pre, post) in [("", ""), ("a", ""), ("", "a"), ("Я", ""), ("", "я")] {
                buf.clear();
                buf.push_str(pre);
                buf.push(c);
                buf.push_str(post);
                assert_eq!(trim(&buf), buf.trim(), "{c:?} {pre:?} {post:?}");
            }
        }
    }

    /// The name hashing before its byte fast paths: one character at a time.
    fn reference_name_digest(name: &str) -> [u8; 32] {
        let mut h = Hasher::<Sha256>::new();
        let mut out = Sink::new(&mut h);
        let mut space = false;
        hash_name_chars(&mut out, name, &mut space, false);
        out.flush();
        h.finalize()
    }

    fn name_digest(name: &str) -> [u8; 32] {
        let mut h = Hasher::<Sha256>::new();
        let mut out = Sink::new(&mut h);
        hash_name(&mut out, name);
        out.flush();
        h.finalize()
    }

    /// The byte fast paths give the character-at-a-time result on random names built from
    /// ASCII, every Cyrillic letter of U+0400–U+045F, combining marks, Unicode spaces, Greek,
    /// Turkish İ (two-character lower case) and more, and on every two-character string of
    /// interesting characters.
    #[test]
    fn fast_name_path_agrees_with_the_char_path() {
        let mut pool: std::vec::Vec<char> = (0x400..0x460).filter_map(char::from_u32).collect();
        pool.extend(
            "AZaz09 -'.\t\n\u{b}\u{c}\r\u{85}\u{a0}\u{2003}\u{3000}\u{306}\u{308}\u{301}İΣσßÆǅ\u{d7ff}😀"
                .chars(),
        );
        for a in &pool {
            let one = std::string::String::from(*a);
            assert_eq!(trim(&one), one.trim());
            for b in &pool {
                let s: std::string::String = [*a, *b].iter().collect();
                assert_eq!(name_digest(&s), reference_name_digest(&s), "{s:?}");
            }
        }
        let mut x = 7u64;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 59) as usize;
            let s: std::string::String = (0..len)
                .map(|k| pool[((x >> (k * 2 % 50)) as usize ^ k.wrapping_mul(31)) % pool.len()])
                .collect();
            assert_eq!(name_digest(&s), reference_name_digest(&s), "{s:?}");
            assert_eq!(trim(&s), s.trim(), "{s:?}");
        }
    }

    /// The branch-free path for plain names gives the character-at-a-time result on random
    /// names of 0–60 characters (up to 120 bytes: within and past [`PLAIN_MAX`], across its
    /// chunks) drawn mostly from the characters it takes, with now and then one it must refuse
    /// (its neighbours in the code table, white space, a combining mark), and it takes the
    /// plain ones (so the test is not passing through the loop alone).
    #[test]
    fn plain_name_path_agrees_with_the_char_path() {
        let mut plain: std::vec::Vec<char> = ('А'..='я').collect();
        plain.extend("ЁёAZaz09 -'.\0\u{1f}\u{7f}".chars());
        let odd: std::vec::Vec<char> = "ЀЏѐѓџѠҐ\t\u{b}\r\u{85}\u{a0}\u{306}\u{308}İΣß😀".chars().collect();
        let (mut x, mut taken) = (11u64, 0);
        for _ in 0..50_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 58) as usize % 61;
            let mut y = x;
            let s: std::string::String = (0..len)
                .map(|_| {
                    y = y.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let r = (y >> 33) as usize;
                    if r.is_multiple_of(97) { odd[r / 97 % odd.len()] } else { plain[r / 97 % plain.len()] }
                })
                .collect();
            assert_eq!(name_digest(&s), reference_name_digest(&s), "{s:?}");
            let mut buf = [0u8; PLAIN_MAX];
            taken += usize::from(plain_name_lower(s.as_bytes(), &mut buf).is_some());
        }
        assert!(taken > 5_000, "only {taken} names took the plain path");
        let mut buf = [0u8; PLAIN_MAX];
        let name = "Иванова Мария Петровна";
        assert!(plain_name_lower(name.as_bytes(), &mut buf).is_some());
        assert_eq!(name_digest(name), reference_name_digest(name));
    }
}

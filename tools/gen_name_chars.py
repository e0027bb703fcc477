#!/usr/bin/env python3
"""Writes src/totp/uri/chars.rs: the code points refused in otpauth issuer/account names.

Refused: the general categories Cc (controls), Cf (format: bidi overrides, zero-width
characters, the BOM, tag characters), Cs (surrogates), Co (private use), Cn (unassigned) and
Zl/Zp (line/paragraph separators), from the Unicode Character Database of this Python's
`unicodedata` (its `unidata_version` is written into the file). Run it with a newer Python to
move to a newer Unicode version: `python3 tools/gen_name_chars.py > src/totp/uri/chars.rs`.
"""
import unicodedata

REFUSED = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")

ranges = []
start = None
for cp in range(0x110000):
    bad = unicodedata.category(chr(cp)) in REFUSED
    if bad and start is None:
        start = cp
    elif not bad and start is not None:
        ranges.append((start, cp - 1))
        start = None
if start is not None:
    ranges.append((start, 0x10FFFF))

v = unicodedata.unidata_version
print(f"""//! The code points refused in otpauth issuer and account names: general categories Cc, Cf,
//! Cs, Co, Cn, Zl and Zp of **Unicode {v}** (the Unicode Character Database,
//! `UnicodeData.txt` / `DerivedGeneralCategory.txt`), as {len(ranges)} sorted, disjoint, non-adjacent
//! inclusive ranges. Written by `tools/gen_name_chars.py` (do not edit by hand). Characters
//! assigned after Unicode {v} are Cn here, so refused until the table is regenerated.

/// The Unicode version of [`REFUSED`].
pub(crate) const UNICODE_VERSION: &str = "{v}";

/// Inclusive ranges `(first, last)` of refused code points, sorted and disjoint.
#[rustfmt::skip]
#[allow(clippy::unreadable_literal)]
pub(crate) const REFUSED: &[(u32, u32)] = &[""")
line = "   "
for a, b in ranges:
    item = f" (0x{a:04X}, 0x{b:04X}),"
    if len(line) + len(item) > 100:
        print(line)
        line = "   "
    line += item
print(line)
print("];")

#!/usr/bin/env python3
"""Independent re-implementation of portal-codes link codes (docs/link-code.md), standard
library only.

    link_vectors.py DOC      reads the vector table of the doc (rows starting with "| v") and
                             recomputes every (keyed) fingerprint and code; prints "ok N" if all match,
                             exits 1 otherwise.
    link_vectors.py --powers prints the weights a^0 .. a^30 of GF(32).
    link_vectors.py state MASTER_HEX KEY_ID RECORD NOW RANDOM_HEX ISSUE FLAGS NAME DATE SEX SNILS
                          [PREV_NAME PREV_DATE PREV_SEX PREV_SNILS]
                             prints the record's 64-byte state blob (hex) after issue number ISSUE
                             at NOW, written from the layout tables of docs/link-code.md and
                             src/state/mod.rs; FLAGS is "-" or a comma-separated subset of
                             "redeemed,stale"; the PREV_ fields are the child's data at the issue
                             before (for ISSUE > 1), fingerprinted under the same key."""
import hashlib
import hmac
import sys
import unicodedata

EPOCH = 1577836800
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def gf_mul(a, b):
    # carry-less product, then reduction modulo x^5 + x^2 + 1
    p = 0
    for i in range(5):
        if (b >> i) & 1:
            p ^= a << i
    for deg in range(8, 4, -1):
        if (p >> deg) & 1:
            p ^= 0b100101 << (deg - 5)
    return p


def link_key(master, key_id):
    return hmac.new(master, b"portal-codes/v1/link-code\0" + bytes([key_id]), hashlib.sha256).digest()


def fingerprint(master, key_id, name, date, sex, snils):
    """Keyed (state layout 3): HMAC-SHA256 under the link key of the code's key id."""
    name = unicodedata.normalize("NFC", name)
    name = " ".join(name.split()).lower().replace("ё", "е")
    sex = {"M": "M", "m": "M", "М": "M", "м": "M", "F": "F", "f": "F", "Ж": "F", "ж": "F"}[sex.strip()]
    digits = "".join(ch for ch in snils if ch.isdigit())
    assert len(digits) == 11
    msg = b"portal-codes/child/v2\0" + name.encode() + b"\0" + date.strip().encode() + sex.encode() + digits.encode()
    return hmac.new(link_key(master, key_id), msg, hashlib.sha256).digest()[:15]


def powers():
    weights = [1]
    for _ in range(30):
        weights.append(gf_mul(weights[-1], 2))
    return weights


def head_and_mac(master, key_id, record, fp, now, random, counter):
    minutes = (now - EPOCH) // 60
    head = ((key_id << 76) | (record << 36) | (minutes << 12) | random).to_bytes(10, "big")
    mac = hmac.new(link_key(master, key_id), b"portal-codes/link/v2" + head + fp + counter.to_bytes(4, "big"), hashlib.sha256).digest()
    return head, mac


def code(master, key_id, record, fp, now, random, counter=1):
    head, mac = head_and_mac(master, key_id, record, fp, now, random, counter)
    tag = mac[:5]
    bits = int.from_bytes(head + tag, "big")
    values = [(bits >> (5 * (23 - j))) & 31 for j in range(24)]
    weights = powers()[:25]

    def total(vals):
        s = 0
        for w, v in zip(weights, vals):
            s ^= gf_mul(w, v)
        return s

    check = [c for c in range(32) if total(values + [c]) == 0]
    assert len(check) == 1
    text = "".join(ALPHABET[v] for v in values + check)
    return "-".join(text[i:i + 5] for i in range(0, 25, 5))


def state(args):
    """The blob after an issue: header (kind 1 = link, layout version 4, no failures, no lock, no budget), then the
    40-byte payload: flags (second of the minute, bit 6 redeemed, bit 7 stale), issue number
    (u32 LE), issue id (bytes 5..10 of the tag's HMAC), fingerprint, previous fingerprint."""
    master, key_id, record, now = bytes.fromhex(args[0]), int(args[1]), int(args[2]), int(args[3])
    random, issue, flags = int(args[4], 16), int(args[5]), args[6]
    fp = fingerprint(master, key_id, *args[7:11])
    prev = fingerprint(master, key_id, *args[11:15]) if issue > 1 else bytes(15)
    _, mac = head_and_mac(master, key_id, record, fp, now, random, issue)
    bits = (now % 60) | (0x40 if "redeemed" in flags else 0) | (0x80 if "stale" in flags else 0)
    payload = bytes([bits]) + issue.to_bytes(4, "little") + mac[5:10] + fp + prev
    header = bytes([1, 4]) + (0).to_bytes(2, "little") + bytes(4) + (0).to_bytes(8, "little") * 2
    blob = header + payload
    assert len(payload) == 40 and len(blob) == 64
    print(blob.hex())


def main():
    if sys.argv[1] == "--powers":
        print(powers())
        return
    if sys.argv[1] == "state":
        state(sys.argv[2:])
        return
    rows = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith("| v")]
    bad = 0
    for row in rows:
        f = [c.strip().strip("`") for c in row.strip().strip("|").split("|")]
        master, key_id, record = bytes.fromhex(f[1]), int(f[2]), int(f[3])
        name, date, sex, snils, now, random, issue = f[4], f[5], f[6], f[7], int(f[8]), int(f[9], 16), int(f[10])
        fp = fingerprint(master, key_id, name, date, sex, snils)
        c = code(master, key_id, record, fp, now, random, issue)
        if fp.hex() != f[11] or c != f[12]:
            print("mismatch:", name, fp.hex(), f[11], c, f[12])
            bad += 1
    if bad or not rows:
        sys.exit(1)
    print("ok", len(rows))


main()

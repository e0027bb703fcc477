#!/usr/bin/env python3
"""Independent re-implementation of portal-codes link codes (docs/link-code.md), standard
library only. Reads the vector table of the doc (rows starting with "| v") and recomputes every
fingerprint and code. Prints "ok N" if all match; exits 1 otherwise."""
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


def fingerprint(name, date, sex, snils):
    name = unicodedata.normalize("NFC", name)
    name = " ".join(name.split()).lower().replace("ё", "е")
    sex = {"M": "M", "m": "M", "М": "M", "м": "M", "F": "F", "f": "F", "Ж": "F", "ж": "F"}[sex.strip()]
    digits = "".join(ch for ch in snils if ch.isdigit())
    assert len(digits) == 11
    msg = b"portal-codes/child/v1\0" + name.encode() + b"\0" + date.strip().encode() + sex.encode() + digits.encode()
    return hashlib.sha256(msg).digest()[:15]


def code(master, key_id, record, fp, now, random, counter=1):
    link_key = hmac.new(master, b"portal-codes/v1/link-code\0" + bytes([key_id]), hashlib.sha256).digest()
    minutes = (now - EPOCH) // 60
    head = ((key_id << 76) | (record << 36) | (minutes << 12) | random).to_bytes(10, "big")
    tag = hmac.new(link_key, b"portal-codes/link/v2" + head + fp + counter.to_bytes(4, "big"), hashlib.sha256).digest()[:5]
    bits = int.from_bytes(head + tag, "big")
    values = [(bits >> (5 * (23 - j))) & 31 for j in range(24)]
    weights = [1]
    for _ in range(24):
        weights.append(gf_mul(weights[-1], 2))

    def total(vals):
        s = 0
        for w, v in zip(weights, vals):
            s ^= gf_mul(w, v)
        return s

    check = [c for c in range(32) if total(values + [c]) == 0]
    assert len(check) == 1
    text = "".join(ALPHABET[v] for v in values + check)
    return "-".join(text[i:i + 5] for i in range(0, 25, 5))


def main():
    rows = [l for l in open(sys.argv[1], encoding="utf-8") if l.startswith("| v")]
    bad = 0
    for row in rows:
        f = [c.strip().strip("`") for c in row.strip().strip("|").split("|")]
        master, key_id, record = bytes.fromhex(f[1]), int(f[2]), int(f[3])
        name, date, sex, snils, now, random, issue = f[4], f[5], f[6], f[7], int(f[8]), int(f[9], 16), int(f[10])
        fp = fingerprint(name, date, sex, snils)
        c = code(master, key_id, record, fp, now, random, issue)
        if fp.hex() != f[11] or c != f[12]:
            print("mismatch:", name, fp.hex(), f[11], c, f[12])
            bad += 1
    if bad or not rows:
        sys.exit(1)
    print("ok", len(rows))


main()

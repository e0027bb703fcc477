#!/usr/bin/env python3
"""Writes the weak-PIN bitsets compiled into the crate (src/pin/weak4.bin, src/pin/weak6.bin).

Standard library only. Usage (from the crate root):

    python3 tools/gen_pin_blocklist.py [DATA_DIR]

DATA_DIR defaults to ../shared/data (then /work/shared/data). It must hold the files of the
companion data of Markert, Bichsel, Golla, Mayer, "This PIN Can Be Easily Guessed: Analyzing the
Security of Smartphone Unlock PINs", IEEE S&P 2020 (arXiv 2003.04868),
this-pin-can-be-easily-guessed.github.io, folder media/:

  pins-4digit-rockyou-ranked.txt     every 4-digit string found as a whole RockYou password,
                                     "PIN COUNT", most frequent first
  pins-4digit-ios-blocklist.txt      the 4-digit PINs iOS warns about (274)
  pins-6digit-datadriven-ranked.txt  the paper's data-driven 6-digit blocklist, most guessable first
  pins-6digit-ios-blocklist.txt      the 6-digit PINs iOS warns about (2,910)

Selection (the paper: a blocklist of about 10% of the space gives most of the benefit):
  the iOS list, then the ranked list in its order (ties keep file order), until the set holds
  TARGET[n] PINs: 1,000 of the 10,000 four-digit PINs, 100,000 of the 1,000,000 six-digit ones.

Bitset layout: PIN value v (the PIN read as a decimal number, leading zeros kept by the length)
is bit (v % 8) of byte (v // 8); 10**n bits, so 1,250 and 125,000 bytes.

The pattern rules (repeated digit, runs, keypad lines, repeated halves, dates, years, birth date)
are NOT in these files: the crate checks them at run time (src/pin/policy.rs), which lets it say
which rule refused a PIN. The test `pin::blocklist::tests::committed_bitsets_match_the_data`
re-derives these files from the data when it is present.
"""
import os
import sys

TARGET = {4: 1_000, 6: 100_000}
FILES = {
    4: ("pins-4digit-ios-blocklist.txt", "pins-4digit-rockyou-ranked.txt"),
    6: ("pins-6digit-ios-blocklist.txt", "pins-6digit-datadriven-ranked.txt"),
}


def read_pins(path, n):
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            pin = fields[0]
            if len(pin) != n or not pin.isdigit():
                raise SystemExit(f"{path}: bad line {line!r}")
            out.append(pin)
    return out


def select(data_dir, n):
    ios_file, ranked_file = FILES[n]
    chosen = set(read_pins(os.path.join(data_dir, ios_file), n))
    for pin in read_pins(os.path.join(data_dir, ranked_file), n):
        if len(chosen) >= TARGET[n]:
            break
        chosen.add(pin)
    if len(chosen) != TARGET[n]:
        raise SystemExit(f"only {len(chosen)} {n}-digit PINs available")
    return chosen


def bitset(pins, n):
    bits = bytearray(10**n // 8)
    for pin in pins:
        v = int(pin)
        bits[v // 8] |= 1 << (v % 8)
    return bytes(bits)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    if len(sys.argv) > 1:
        data_dir = sys.argv[1]
    else:
        data_dir = next(
            (d for d in (os.path.join(root, "..", "shared", "data"), "/work/shared/data") if os.path.isdir(d)),
            None,
        )
        if data_dir is None:
            raise SystemExit("no data directory: pass it as the first argument")
    for n in (4, 6):
        bits = bitset(select(data_dir, n), n)
        path = os.path.join(root, "src", "pin", f"weak{n}.bin")
        with open(path, "wb") as f:
            f.write(bits)
        print(f"{path}: {len(bits)} bytes, {TARGET[n]} of {10**n} {n}-digit PINs")


if __name__ == "__main__":
    main()

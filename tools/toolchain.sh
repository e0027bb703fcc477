#!/usr/bin/env bash
# Checks, before anything is built, that `cargo` and `rustc` are on PATH and that rustc is at
# least Cargo.toml's `rust-version`; otherwise prints how to get a toolchain (rustup) and exits 1.
# Called by tools/test.sh; run it alone with `bash tools/toolchain.sh`. Debian 12's own `rustc`
# (1.63) is too old: edition 2024 and the dependencies need the version named in Cargo.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

need=$(sed -n 's/^rust-version *= *"\([^"]*\)".*/\1/p' Cargo.toml | sed 1q)
[ -n "$need" ] || { echo "tools/toolchain.sh: no rust-version in Cargo.toml" >&2; exit 2; }

hint() {
    cat >&2 <<EOF

portal-codes needs Rust $need or newer (Cargo.toml's rust-version). $1
Install a current toolchain with rustup (as the user who runs the tests; no root needed):

    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    . "\$HOME/.cargo/env"

or, with rustup already installed:  rustup update stable  (or: rustup default stable)
A distribution's rustc is usually too old (Debian 12 ships 1.63).
EOF
    exit 1
}

if ! command -v cargo >/dev/null || ! command -v rustc >/dev/null; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
        hint "cargo is in $HOME/.cargo/bin but not on PATH: run  . \"\$HOME/.cargo/env\"  first."
    fi
    hint "No cargo/rustc on PATH."
fi
have=$(rustc --version 2>/dev/null | sed -n 's/^rustc \([0-9][0-9.]*\).*/\1/p')
[ -n "$have" ] || hint "\`rustc --version\` did not run or did not print a version."
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
    hint "Found rustc $have ($(command -v rustc))."
fi
echo "rust toolchain: rustc $have (needs $need or newer)"

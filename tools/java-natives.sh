#!/usr/bin/env bash
# The native libraries the Java jar carries (`make java-natives` runs this; so does
# tests/foreign.rs before its Maven build):
#
#   OUT/linux-x86-64/libportal_codes.so    x86-64,  needs glibc 2.17 or later
#   OUT/linux-aarch64/libportal_codes.so   aarch64, needs glibc 2.17 or later
#
# (JNA's resource folders for Linux on those processors.) Built with cargo-zigbuild, which links
# with Zig against glibc 2.17's symbol versions (RHEL/CentOS 7 and everything newer), instead of
# the build machine's glibc. Both tools come from PyPI, pinned, into a virtual environment this
# script makes (target/zig-venv in the repository, one per clone whatever CARGO_TARGET_DIR is:
# 440 MB, mostly Zig's libc sources; Debian's own python3 refuses `pip install`); the aarch64 Rust
# standard library comes from rustup. Then each library is checked: its ELF machine, the highest
# GLIBC_ symbol version it needs (at most 2.17) and the shared libraries it needs (only glibc's
# and libgcc_s). Usage: tools/java-natives.sh [OUT]   (OUT defaults to $TARGET/make/jna, where
# bindings/java/pom.xml looks; $TARGET is $CARGO_TARGET_DIR, else the repository's target/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$top/target}
out=${1:-$target/make/jna}
venv=$top/target/zig-venv
glibc=2.17
pins="ziglang==0.17.1 cargo-zigbuild==0.24.1"

die() { echo "java-natives: $*" >&2; exit 1; }

# ---- tools
if [ "$(cat "$venv/pins" 2>/dev/null)" != "$pins" ]; then
    command -v python3 >/dev/null || die "python3 is missing (Debian: apt-get install python3 python3-venv)"
    rm -rf "$venv"
    python3 -m venv "$venv" ||
        die "python3 cannot make a virtual environment (Debian: apt-get install python3-venv)"
    # shellcheck disable=SC2086 # $pins is a list of requirements
    "$venv/bin/pip" install -q --disable-pip-version-check $pins ||
        die "pip could not install $pins (from PyPI) into $venv"
    echo "$pins" > "$venv/pins"
fi
# cargo-zigbuild runs `zig`, or else `python3 -m ziglang`: the environment's python3, first in PATH.
export PATH="$venv/bin:$PATH"
if ! rustup target list --installed 2>/dev/null | grep -qx aarch64-unknown-linux-gnu; then
    command -v rustup >/dev/null || die "the aarch64-unknown-linux-gnu standard library is missing, and rustup with it"
    rustup target add aarch64-unknown-linux-gnu
fi

# ---- build and check
# Highest version among GLIBC_x.y[.z] names on stdin (none: empty).
max_glibc() { grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/^GLIBC_//' | sort -uV | tail -n 1; }

build() { # rust target, JNA resource folder, readelf's Machine
    local triple=$1 folder=$2 machine=$3
    cargo-zigbuild rustc --manifest-path "$top/Cargo.toml" --target-dir "$target/jna" \
        --lib --release --features capi --crate-type cdylib --target "$triple.$glibc"
    mkdir -p "$out/$folder"
    local so=$out/$folder/libportal_codes.so
    cp "$target/jna/$triple/release/libportal_codes.so" "$so"

    readelf -h "$so" | grep -q "Class: *ELF64" || die "$so is not ELF64"
    readelf -h "$so" | grep -q "Machine: *$machine\$" || die "$so is not $machine: $(readelf -h "$so" | grep Machine)"
    local max
    max=$(readelf --dyn-syms -W "$so" | max_glibc)
    [ -n "$max" ] || die "$so names no GLIBC_ symbol version (readelf --dyn-syms)"
    [ "$(printf '%s\n' "$max" "$glibc" | sort -V | tail -n 1)" = "$glibc" ] ||
        die "$so needs GLIBC_$max, above the $glibc baseline"
    local needed
    needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    for lib in $needed; do
        case $lib in
        libc.so.6 | libm.so.6 | libdl.so.2 | libpthread.so.0 | librt.so.1 | libgcc_s.so.1 | ld-linux-*.so.*) ;;
        *) die "$so needs $lib, which is not part of glibc or libgcc_s" ;;
        esac
    done
    echo "java-natives: $folder/libportal_codes.so: $machine, GLIBC_$max at most, needs: $needed"
}

build x86_64-unknown-linux-gnu linux-x86-64 "Advanced Micro Devices X86-64"
build aarch64-unknown-linux-gnu linux-aarch64 "AArch64"

#!/usr/bin/env bash
# The README's test command: checks the Rust toolchain (tools/toolchain.sh), installs what the
# tests need (Debian packages), then runs
# every test — Rust, C, Java, PostgreSQL, the oathtool/pyotp/zbar/Python cross-checks — with none
# of them allowed to skip, and the model-based tests with 10,000 sequences per flow (release).
# Run from anywhere, as root or with sudo available. `--install-only` runs the install phase alone
# (no Rust toolchain needed; tools/stock-check.sh runs it on a fresh Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
case "${1:-}" in
    "") bash tools/toolchain.sh ;; # cargo and rustc >= rust-version, or the rustup hint, first
    --install-only) ;;
    *) echo "usage: bash tools/test.sh [--install-only]" >&2; exit 2 ;;
esac

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_pkgs=()
command -v cc >/dev/null || apt_pkgs+=(gcc)
command -v c++ >/dev/null || apt_pkgs+=(g++)
command -v make >/dev/null || apt_pkgs+=(make)
command -v pkg-config >/dev/null || apt_pkgs+=(pkg-config)
command -v javac >/dev/null || apt_pkgs+=(default-jdk-headless)
[ -f /usr/share/java/jna.jar ] || apt_pkgs+=(libjna-java)
# The Java binding's offline Maven build (bindings/java, profile debian-offline).
command -v mvn >/dev/null || apt_pkgs+=(maven)
repo=/usr/share/maven-repo
[ -d $repo/org/junit/jupiter/junit-jupiter-engine/debian ] || apt_pkgs+=(junit5)
[ -d $repo/org/apache/maven/plugins/maven-surefire-plugin/2.22.3 ] || apt_pkgs+=(libsurefire-java)
[ -d $repo/org/apache/maven/plugins/maven-compiler-plugin/3.10.1 ] || apt_pkgs+=(libmaven-compiler-plugin-java)
[ -d $repo/org/apache/maven/plugins/maven-jar-plugin/3.3.0 ] || apt_pkgs+=(libmaven-jar-plugin-java)
[ -d $repo/org/apache/maven/plugins/maven-resources-plugin/3.3.0 ] || apt_pkgs+=(libmaven-resources-plugin-java)
# The jar's native libraries (tools/java-natives.sh: a venv for Zig from PyPI) and the aarch64 one run.
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_pkgs+=(python3-venv)
command -v qemu-aarch64 >/dev/null || apt_pkgs+=(qemu-user)
[ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ] || apt_pkgs+=(libc6-arm64-cross)
command -v oathtool >/dev/null || apt_pkgs+=(oathtool)
command -v rsvg-convert >/dev/null || apt_pkgs+=(librsvg2-bin)
command -v zbarimg >/dev/null || apt_pkgs+=(zbar-tools)
command -v valgrind >/dev/null || apt_pkgs+=(valgrind)
# The PIN pepper in a PKCS#11 token (checks/tests/softhsm.rs initialises its own token).
command -v softhsm2-util >/dev/null || apt_pkgs+=(softhsm2)
# OpenSSL's headers and libcrypto for the `openssl` crate, a PBKDF2 peer in the benchmarks
# (checks/Cargo.toml; found with pkg-config).
[ -f /usr/include/openssl/evp.h ] || apt_pkgs+=(libssl-dev)
# pyotp from Debian (pip is refused on Debian's Python: externally-managed-environment), for
# Debian's interpreter, which the tests run through PCODES_PYTHON (a python3 earlier on PATH,
# e.g. pyenv's, does not see /usr/lib/python3/dist-packages).
export PCODES_PYTHON="${PCODES_PYTHON:-/usr/bin/python3}"
if ! "$PCODES_PYTHON" -c 'import pyotp' 2>/dev/null && [ "$PCODES_PYTHON" = /usr/bin/python3 ]; then
    apt_pkgs+=(python3 python3-pyotp)
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_pkgs+=(postgresql)
if [ ${#apt_pkgs[@]} -gt 0 ]; then
    echo "installing: ${apt_pkgs[*]}"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi
"$PCODES_PYTHON" -c 'import pyotp' || { echo "pyotp is not importable by $PCODES_PYTHON" >&2; exit 1; }
[ "${1:-}" != --install-only ] || { echo "install phase done (tests use PCODES_PYTHON=$PCODES_PYTHON)"; exit 0; }

# Every external tool is required (the default: only PCODES_ALLOW_SKIP=1 lets a test skip).
unset PCODES_ALLOW_SKIP
# The library and `checks/` (property, header/ABI and PostgreSQL tests; the postgres_cas example is
# run and its output checked by checks/tests/postgres_cas_example.rs).
cargo test --workspace --all-features
cargo test --release --test model

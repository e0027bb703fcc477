#!/usr/bin/env bash
# The test command's install phase on a stock Debian 12, the closest this CI can give to a fresh
# `debian:12` container with only git, curl and ca-certificates (no Docker daemon or registry here):
# a `debootstrap --variant=minbase` bookworm (what the official image is built from), with the
# image's apt sources and its policy-rc.d (services are not started), entered with chroot in a
# private mount namespace. In it, as root and with no Rust toolchain, this checks that
#   1. `bash tools/test.sh` stops at once with the rustup hint (no cargo; then a fake rustc 1.63,
#      Debian's own version), before installing anything;
#   2. `bash tools/test.sh --install-only` succeeds, without pip, and a second run installs nothing;
#   3. every tool the tests need is then there and runs: pyotp for the interpreter the tests use
#      (from python3-pyotp), oathtool, rsvg-convert, zbarimg, cc/c++/make/pkg-config, valgrind,
#      java/javac and JNA's jar, mvn with junit5 and the plugins, PostgreSQL's initdb and psql, SoftHSM2, qemu-user with the arm64 glibc, python3-venv.
# `--full` then installs Rust with the README's rustup line and runs the README's two commands
# (long: a cold build of everything; a manual step, not run by .ci/run).
# Needs root, debootstrap (Debian package) and network access to deb.debian.org. The bootstrapped
# base is cached in $PCODES_STOCK_CACHE (default /var/cache/portal-codes); the work copy is made
# under the cargo target folder and removed afterwards (PCODES_STOCK_KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
full=0
case "${1:-}" in
    "") ;;
    --full) full=1 ;;
    *) echo "usage: bash tools/stock-check.sh [--full]" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "tools/stock-check.sh needs root (debootstrap, chroot, mount)" >&2; exit 2; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null

cache=${PCODES_STOCK_CACHE:-/var/cache/portal-codes}
base=$cache/bookworm-minbase.tar
work=${CARGO_TARGET_DIR:-$top/target}/stock-check
start=$(date +%s)
say() { printf '[stock-check %4ds] %s\n' $(($(date +%s) - start)) "$*"; }

if [ ! -f "$base" ]; then
    say "debootstrap bookworm (minbase + git, curl, ca-certificates) into $base"
    mkdir -p "$cache"
    rm -rf "$cache/bootstrap"
    debootstrap --variant=minbase --include=git,curl,ca-certificates bookworm "$cache/bootstrap" \
        http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 ||
        { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
    tar -C "$cache/bootstrap" -cf "$base.part" . && mv "$base.part" "$base"
    rm -rf "$cache/bootstrap"
fi

say "fresh root in $work/root"
rm -rf "$work"
mkdir -p "$work/root"
tar -C "$work/root" -xf "$base"
root=$work/root
# As in the debian:12 image: its three apt sources, services never started by maintainer scripts.
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The project as checked out (tracked and new files; not target/).
mkdir -p "$root/src"
git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C "$root/src" -xf -

# Runs one script in the stock root as root with a clean environment; prints its output.
inside() {
    unshare --mount --propagation private bash -c '
        set -e
        mount -t proc proc "$1/proc"
        mount --rbind /dev "$1/dev"
        mount -t sysfs sys "$1/sys"
        exec chroot "$1" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -euo pipefail -c "$2"
    ' inside "$root" "$1"
}
fail() { echo "stock-check FAILED: $*" >&2; exit 1; }

say "1. tools/test.sh without cargo: the rustup hint, before any install"
set +e
out=$(inside 'cd /src && bash tools/test.sh' 2>&1); rc=$?
set -e
echo "$out" | sed 's/^/    | /'
[ $rc -eq 1 ] || fail "tools/test.sh without cargo exited $rc, not 1"
echo "$out" | grep -q 'No cargo/rustc on PATH' || fail "no 'No cargo/rustc on PATH'"
echo "$out" | grep -qF 'https://sh.rustup.rs | sh -s -- -y' || fail "no rustup line"
echo "$out" | grep -q 'installing:' && fail "tools/test.sh installed packages before the toolchain check"
inside 'command -v cargo || command -v rustc' >/dev/null && fail "the stock root has a Rust toolchain"

say "1b. tools/test.sh with Debian's rustc 1.63 (a fake one on PATH): the same hint"
set +e
out=$(inside 'mkdir -p /tmp/old && printf "#!/bin/sh\necho \"rustc 1.63.0 (Debian)\"\n" >/tmp/old/rustc &&
    printf "#!/bin/sh\necho \"cargo 1.65.0\"\n" >/tmp/old/cargo && chmod +x /tmp/old/* &&
    cd /src && PATH=/tmp/old:$PATH bash tools/test.sh' 2>&1); rc=$?
set -e
echo "$out" | grep -E 'needs Rust|Found' | sed 's/^/    | /'
[ $rc -eq 1 ] || fail "tools/test.sh with rustc 1.63 exited $rc, not 1"
echo "$out" | grep -q 'Found rustc 1.63.0' || fail "no 'Found rustc 1.63.0'"
echo "$out" | grep -qF 'https://sh.rustup.rs' || fail "no rustup line for an old rustc"

say "2. tools/test.sh --install-only"
inside 'cd /src && bash tools/test.sh --install-only' 2>&1 | sed 's/^/    | /'
say "2b. again: nothing left to install"
out=$(inside 'cd /src && bash tools/test.sh --install-only' 2>&1)
echo "$out" | sed 's/^/    | /'
echo "$out" | grep -q 'installing:' && fail "a second --install-only installed packages again"

say "3. every tool the tests need"
inside '
    py=/usr/bin/python3        # what tools/test.sh exports as PCODES_PYTHON
    dpkg -s python3-pyotp >/dev/null
    ! "$py" -m pip --version >/dev/null 2>&1 || { echo "pip is installed" >&2; exit 1; }
    # RFC 6238 Appendix B, SHA-1, T = 59 s.
    [ "$("$py" -c "import pyotp; print(pyotp.TOTP(\"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\", digits=8).at(59))")" = 94287082 ]
    [ "$(oathtool --totp -d 8 -N @59 3132333435363738393031323334353637383930)" = 94287082 ]
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>" | rsvg-convert -o /tmp/t.png
    zbarimg --version >/dev/null
    for t in cc c++ make pkg-config valgrind java javac mvn psql softhsm2-util qemu-aarch64; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 1; }; done
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null
    [ -f /usr/share/java/jna.jar ]
    pkg-config --exists openssl
    [ -f /usr/aarch64-linux-gnu/lib/libc.so.6 ]
    /usr/bin/python3 -c "import ensurepip, venv"
    r=/usr/share/maven-repo
    for d in org/junit/jupiter/junit-jupiter-engine/debian org/apache/maven/plugins/maven-surefire-plugin/2.22.3 \
        org/apache/maven/plugins/maven-compiler-plugin/3.10.1 org/apache/maven/plugins/maven-jar-plugin/3.3.0 \
        org/apache/maven/plugins/maven-resources-plugin/3.3.0; do [ -d $r/$d ] || { echo "missing: $r/$d" >&2; exit 1; }; done
    printf "int main(void){return 0;}\n" >/tmp/t.c
    cc -Wall -Werror -o /tmp/t /tmp/t.c
    valgrind -q --error-exitcode=1 /tmp/t
    printf "class T{public static void main(String[] a){System.out.println(com.sun.jna.Platform.ARCH);}}\n" >/tmp/T.java
    javac -cp /usr/share/java/jna.jar -d /tmp /tmp/T.java
    java -cp /usr/share/java/jna.jar:/tmp T >/dev/null
    mvn -B -v >/tmp/mvn-version.txt # whole output first: mvn fails on a pipe closed early (head)
    head -n1 /tmp/mvn-version.txt | sed "s/\x1b\[[0-9;]*m//g"
    echo "all tools present (pyotp $("$py" -c "import importlib.metadata as m; print(m.version(\"pyotp\"))") for $py)"
' 2>&1 | sed 's/^/    | /'

if [ $full -eq 1 ]; then
    say "4. --full: rustup as the README says, then the README's two commands (log: $cache/full.log)"
    # The README's line fetches https://sh.rustup.rs, which serves rustup-init.sh from
    # static.rust-lang.org. Where that name does not resolve (this CI's network), the same script
    # is fetched from static.rust-lang.org directly, and the run says so.
    # This CI reaches HTTPS through an egress proxy whose CA the host trusts: the root gets the
    # host's local CAs (as a company's own image would), said in the log; nothing else is copied.
    if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
        say "   the host's local CAs added to the root: $(cd /usr/local/share/ca-certificates && echo *.crt)"
        inside 'update-ca-certificates >/dev/null'
    fi
    set +e
    inside '
        url=https://sh.rustup.rs
        if ! curl --proto "=https" --tlsv1.2 -sSfI "$url" >/dev/null 2>&1; then
            url=https://static.rust-lang.org/rustup/rustup-init.sh
            echo "NOTE: sh.rustup.rs unreachable here; the same script from $url"
        fi
        curl --proto "=https" --tlsv1.2 -sSf "$url" | sh -s -- -y --profile minimal >/dev/null 2>&1
        . "$HOME/.cargo/env"
        rustc --version
        cd /src
        t0=$(date +%s)
        cargo run --release --example quickstart >/tmp/quickstart.out
        echo "README command 1 (quickstart) passed in $(($(date +%s) - t0)) s: $(wc -l </tmp/quickstart.out) lines"
        t0=$(date +%s)
        bash tools/test.sh
        echo "README command 2 (tools/test.sh) passed in $(($(date +%s) - t0)) s"
    ' >"$cache/full.log" 2>&1
    rc=$?
    set -e
    tail -n 40 "$cache/full.log" | sed 's/^/    | /'
    [ $rc -eq 0 ] || fail "--full: the README's commands failed (exit $rc; whole log in $cache/full.log)"
fi

say "stock root: $(du -sh "$root" | cut -f1)"
[ "${PCODES_STOCK_KEEP:-}" = 1 ] || rm -rf "$work"
say "stock-check passed"

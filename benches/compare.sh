#!/usr/bin/env bash
# Before merging: instructions per operation of this checkout against a baseline commit, counted
# by callgrind (repeatable whatever else the machine does), for link redeem and issue, SMS verify (right and
# wrong), TOTP and HOTP verify (wrong), a malformed PIN and a PIN verify (10,000 iterations).
#   bash benches/compare.sh [BASE_REV]     (default: the previous release, 6ed60a0)
# Needs valgrind (tools/test.sh installs it). The baseline is built in a temporary worktree.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-6ed60a0}
command -v valgrind >/dev/null || { echo "compare.sh: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
wt=$(mktemp -d)
trap 'git worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$wt" "$base"
mkdir -p "$wt/examples"
cp benches/opcount.rs "$wt/examples/opcount.rs"
(cd "$wt" && CARGO_TARGET_DIR="$wt/target" cargo build -q --release --example opcount)
cargo build -q --release -p portal-codes-checks --example opcount
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
printf '%-12s %14s %14s %8s\n' op "$base" HEAD ratio
for op in link link-issue sms sms-wrong totp-wrong hotp-wrong pin-format pin; do
    n=2000; [ "$op" = pin ] && n=3
    per() { echo $(( ($(ir "$1" "$op" "$n") - $(ir "$1" "$op" 0)) / n )); }
    b=$(per "$wt/target/release/examples/opcount"); h=$(per target/release/examples/opcount)
    printf '%-12s %14d %14d %8s\n' "$op" "$b" "$h" "$(python3 -c "print(f'{$h/$b:.3f}')")"
done

#!/usr/bin/env bash
# Before merging: this checkout against a baseline commit (default: the pinned PINNED_BASE below,
# the previous release), each built in its OWN target directory (one target directory for two
# trees of this repository makes cargo reuse the other tree's library).
#
#   bash benches/compare.sh [BASE_REV]
#       Instructions per operation, counted by callgrind (repeatable whatever else the machine
#       does): link redeem and issue, SMS verify (right and wrong), TOTP and HOTP verify (wrong),
#       a malformed PIN and a PIN verify (10,000 iterations), and the C ABI link redeem and TOTP
#       verify. Two columns per tree: every instruction, and those outside the SHA-1/SHA-256
#       compression functions. Valgrind does not emulate SHA-NI, so under callgrind the `sha1` /
#       `sha2` crates run their portable compressions (~1,400 / ~3,400 instructions each) and
#       the total is mostly those; the "outside" column is the library's own work.
#   bash benches/compare.sh --criterion [BASE_REV] [RUNS]
#       Criterion side by side: link redeem, TOTP verify (wrong code), SMS verify and PBKDF2
#       (single block, 10,000 iterations) with their floors and `totp-rs`, and the `capi-*`
#       groups (COMPARE_FILTER=REGEX for others), of both trees' own
#       benches (the same group and function names), interleaved base, HEAD,
#       base, HEAD, … RUNS times (default 5), each run in its own CRITERION_HOME; prints every
#       run and the medians, and the ratios the targets are stated in (benches/README.md), per
#       run and their median.
#
# Needs valgrind (tools/test.sh installs it). The baseline is built in a temporary worktree;
# COMPARE_BASE_TARGET=DIR keeps its target directory (reused by a later run of the same BASE).
set -euo pipefail
cd "$(dirname "$0")/.."
PINNED_BASE=6ed60a0
mode=instructions
if [ "${1:-}" = --criterion ]; then mode=criterion; shift; fi
base=${1:-$PINNED_BASE}
runs=${2:-5}
wt=$(mktemp -d)
trap 'git worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$wt" "$base"
btarget=${COMPARE_BASE_TARGET:-$wt/target}
htarget=${CARGO_TARGET_DIR:-target}
# The base's benches and opcount are its root package's targets before `checks/` existed.
bpkg=(); [ -d "$wt/checks" ] && bpkg=(--workspace)

if [ "$mode" = criterion ]; then
    filter=${COMPARE_FILTER:-'^(link/(redeem|floor-5-sha256)|totp-verify-wrong/(portal-codes|totp-rs|floor-6-sha1)|sms-otp/(verify|verify-wrong|floor-2-sha256)|pbkdf2-10000/(portal-codes|floor-20000-sha256)|capi-.*)$'}
    opts=(--warm-up-time 1 --measurement-time "${COMPARE_SECONDS:-3}")
    (cd "$wt" && CARGO_TARGET_DIR="$btarget" cargo bench -q "${bpkg[@]}" --features capi --bench codes --bench capi --no-run)
    cargo bench -q --workspace --features capi --bench codes --bench capi --no-run
    out=$(mktemp -d)
    for r in $(seq 1 "$runs"); do
        echo "run $r/$runs: base" >&2
        (cd "$wt" && CRITERION_HOME="$out/base-$r" CARGO_TARGET_DIR="$btarget" \
            cargo bench -q "${bpkg[@]}" --features capi --bench codes --bench capi -- "${opts[@]}" "$filter" >/dev/null)
        echo "run $r/$runs: HEAD" >&2
        CRITERION_HOME="$out/head-$r" cargo bench -q --workspace --features capi --bench codes --bench capi \
            -- "${opts[@]}" "$filter" >/dev/null
    done
    python3 - "$out" "$runs" "$base" <<'PY'
import json, os, statistics, sys
out, runs, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(tree, r):
    res = {}
    root = os.path.join(out, f"{tree}-{r}")
    for d, _, files in os.walk(root):
        if "estimates.json" in files and os.path.basename(d) == "new":
            group, func = os.path.relpath(os.path.dirname(d), root).split(os.sep)[:2]
            with open(os.path.join(d, "estimates.json")) as f:
                res[f"{group}/{func}"] = json.load(f)["median"]["point_estimate"]
    return res
b = [load("base", r) for r in range(1, runs + 1)]
h = [load("head", r) for r in range(1, runs + 1)]
fmt = lambda v: f"{v:.0f}" if v >= 100 else f"{v:.3g}"
print(f"| benchmark | {base} runs (ns) | HEAD runs (ns) | median {base} | median HEAD | HEAD / base |")
print("|---|---|---|---|---|---|")
for k in sorted(set().union(*b, *h)):
    bv = [x[k] for x in b if k in x]; hv = [x[k] for x in h if k in x]
    if not bv or not hv:
        continue
    mb, mh = statistics.median(bv), statistics.median(hv)
    print(f"| `{k}` | {' / '.join(map(fmt, bv))} | {' / '.join(map(fmt, hv))} | {fmt(mb)} | {fmt(mh)} | {mh / mb:.3f} |")
ratios = [
    ("link redeem / 5-compression floor", "link/redeem", "link/floor-5-sha256", 2.5),
    ("link redeem, wrong / 5-compression floor", "link/redeem-wrong", "link/floor-5-sha256", 2.5),
    ("link issue / 5-compression floor", "link/issue", "link/floor-5-sha256", 2.5),
    ("TOTP verify wrong / `totp-rs`", "totp-verify-wrong/portal-codes", "totp-verify-wrong/totp-rs", 0.6),
    ("TOTP verify wrong / 6-compression floor", "totp-verify-wrong/portal-codes", "totp-verify-wrong/floor-6-sha1", 1.3),
    ("SMS verify / 2-compression floor", "sms-otp/verify", "sms-otp/floor-2-sha256", 3.0),
    ("SMS verify, wrong / 2-compression floor", "sms-otp/verify-wrong", "sms-otp/floor-2-sha256", 3.0),
    ("PBKDF2 (one block) / 2-compression floor per iteration", "pbkdf2-10000/portal-codes", "pbkdf2-10000/floor-20000-sha256", 1.2),
    ("C link redeem / 5-compression floor", "capi-link-redeem/c-abi", "link/floor-5-sha256", 2.5),
    ("C TOTP verify wrong / `totp-rs`", "capi-totp-verify/c-abi", "totp-verify-wrong/totp-rs", 0.6),
    ("C link redeem / Rust", "capi-link-redeem/c-abi", "capi-link-redeem/rust", None),
    ("C TOTP verify / Rust", "capi-totp-verify/c-abi", "capi-totp-verify/rust", None),
]
print()
print(f"| ratio (within each run) | {base} runs | median | HEAD runs | median | target |")
print("|---|---|---|---|---|---|")
for name, num, den, target in ratios:
    cols = []
    for runs_ in (b, h):
        v = [x[num] / x[den] for x in runs_ if num in x and den in x]
        cols += [" / ".join(f"{r:.2f}" for r in v) or "–", f"{statistics.median(v):.2f}" if v else "–"]
    print(f"| {name} | {' | '.join(cols)} | {'≤ %s ×' % target if target else '–'} |")
PY
    exit 0
fi

command -v valgrind >/dev/null || { echo "compare.sh: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
mkdir -p "$wt/examples"
cp benches/opcount.rs "$wt/examples/opcount.rs"
(cd "$wt" && CARGO_TARGET_DIR="$btarget" cargo build -q --release --features capi --example opcount)
cargo build -q --release -p portal-codes-checks --features capi --example opcount
cg=$(mktemp -d)
# Instructions of `BIN OP N`: every one, and those outside the SHA compression functions.
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$cg/out" "$@" >/dev/null 2>&1
    callgrind_annotate --inclusive=no --auto=no --threshold=100 "$cg/out" | python3 -c '
import re, sys
total = comp = 0
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$", line)
    if not m:
        continue
    v, name = int(m.group(1).replace(",", "")), m.group(2)
    if "PROGRAM TOTALS" in name:
        total = v
    elif re.search(r"sha(1|2)::.*compress", name.split(":", 1)[-1]):
        comp += v
print(total, total - comp)'
}
per() {
    local n=$3 a b
    read -r -a a <<<"$(ir "$1" "$2" "$n")"
    read -r -a b <<<"$(ir "$1" "$2" 0)"
    echo $(((a[0] - b[0]) / n)) $(((a[1] - b[1]) / n))
}
printf '%-13s %12s %12s %12s %12s %7s %7s\n' op "$base" "(outside)" HEAD "(outside)" ratio outside
for op in link link-issue sms sms-wrong totp-wrong hotp-wrong pin-format pin c-link c-totp-wrong; do
    n=1000; [ "$op" = pin ] && n=3
    read -r -a bb <<<"$(per "$btarget/release/examples/opcount" "$op" "$n")"
    read -r -a hh <<<"$(per "$htarget/release/examples/opcount" "$op" "$n")"
    printf '%-13s %12d %12d %12d %12d %7s %7s\n' "$op" "${bb[0]}" "${bb[1]}" "${hh[0]}" "${hh[1]}" \
        "$(python3 -c "print(f'{${hh[0]}/${bb[0]}:.3f}')")" "$(python3 -c "print(f'{${hh[1]}/${bb[1]}:.3f}')")"
done

#!/usr/bin/env bash
# popdelta against polars.read_excel(engine="calamine") on the same job: each region's
# change and the group sums of a wide xlsx (bench/gen_xlsx.py), both written as CSV.
# Runs interleaved, prints the median wall time of each and their ratio; also popdelta
# with --single-threaded (calamine's reader instead of popdelta's fast xlsx reader).
#
# usage: bench/xlsx.sh [RUNS]          (default 9; ROOT default /tmp/popdelta-bench)
# Makes a venv with polars, fastexcel and xlsxwriter under $ROOT on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${ROOT:-/tmp/popdelta-bench}
runs=${1:-9}
py=$ROOT/venv-xlsx/bin/python
if [ ! -x "$py" ]; then
  python3 -m venv "$ROOT/venv-xlsx"
  "$py" -m pip install --quiet polars fastexcel xlsxwriter
fi
book=$ROOT/data/wide.xlsx
[ -f "$book" ] || "$py" "$here/bench/gen_xlsx.py" --out "$book"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$here/target/release/popdelta
job=$ROOT/polars_xlsx_job.py
cat > "$job" <<'PY'
import sys
import polars as pl
df = pl.read_excel(sys.argv[1], engine="calamine").rename({"2016": "a", "2017": "b"})
change = pl.col("b") - pl.col("a")
rows = df.with_columns(change.alias("change"), (change / pl.col("a") * 100).round(3).alias("change_pct"))
groups = df.group_by("group").agg(pl.col("a").sum(), pl.col("b").sum())
rows.write_csv("/dev/null")
groups.write_csv("/dev/null")
PY
times=$(mktemp -d)
trap 'rm -rf "$times"' EXIT
timed() { /usr/bin/time -f "%e" -a -o "$times/$1" "${@:2}" > /dev/null 2>&1; }
for _ in $(seq "$runs"); do
  timed popdelta "$bin" compare "$book" --format csv --group-by group
  timed ordinary "$bin" compare "$book" --format csv --group-by group --single-threaded
  timed polars "$py" "$job" "$book"
done
median() { sort -n "$times/$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pd=$(median popdelta); od=$(median ordinary); pl=$(median polars)
echo "popdelta $pd s, popdelta --single-threaded $od s, polars $pl s (medians of $runs)"
echo "ratio popdelta/polars: $(awk -v a="$pd" -v b="$pl" 'BEGIN {printf "%.2f", a / b}')"

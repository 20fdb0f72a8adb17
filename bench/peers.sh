#!/usr/bin/env bash
# Times the popdelta binary against its peers (DuckDB, Polars, Miller, pandas, xsv, awk,
# datamash) on the same job and files, with the harness in ../shared/bench (gen.py makes
# the files, run.sh checks every output against a reference and times whole processes).
#
# usage: bench/peers.sh [small|medium|large ...]        (default: small medium large)
#   PEERS="popdelta duckdb_cli polars" bench/peers.sh large   # fewer peers
# Installs the peers on first use (shared/bench/setup.sh: apt, a Python venv, cargo).
# Results: a table on stdout and $ROOT/results/ (ROOT default /tmp/popdelta-bench).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_BENCH:-$here/../shared/bench}
ROOT=${ROOT:-/tmp/popdelta-bench}
export ROOT
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
if [ ! -x "$ROOT/venv/bin/python" ]; then
  bash "$shared/setup.sh"
fi
export POPDELTA="$here/target/release/popdelta"
exec bash "$shared/run.sh" "$@"

#!/usr/bin/env python3
"""The trend benchmark's input: a wide file of many regions over many years.

Writes OUT (default /tmp/popdelta-bench/data/trend_wide.csv): header
`region,group,2005,...,2024`, then REGIONS (default 5,000,000) synthetic regions, each
with a population in 2005 between 500 and 5,000,000 and a walk of its own from there
(a steady rate per region plus a yearly wobble, so that regions peak, decline and
recover at different times). One region in 2,000 lacks a middle year (2015), so the
sums must leave it out and name it. Deterministic: the same file on every run.

Usage: gen_trend.py [--regions N] [--out FILE]
"""
import argparse
import os
import random

FIRST, LAST = 2005, 2024
GROUPS = ["north", "south", "east", "west"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--regions", type=int, default=5_000_000)
    ap.add_argument("--out", default="/tmp/popdelta-bench/data/trend_wide.csv")
    args = ap.parse_args()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    rng = random.Random(20052024)
    years = list(range(FIRST, LAST + 1))
    gap = years.index(2015)
    tmp = args.out + ".part"
    with open(tmp, "w", newline="") as f:
        f.write("region,group," + ",".join(map(str, years)) + "\n")
        lines = []
        for i in range(args.regions):
            pop = int(500 * 10_000 ** rng.random())
            rate = rng.randint(-30, 40)  # per 10,000 a year
            cells = []
            for k in range(len(years)):
                cells.append(str(pop))
                wobble = (i * 7 + k * 13) % 61 - 30
                pop = max(0, pop + pop * (rate + wobble) // 10_000)
            if i % 2000 == 1999:
                cells[gap] = ""
            lines.append(f"R{i:07d},{GROUPS[i % 4]}," + ",".join(cells))
            if len(lines) == 100_000:
                f.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()

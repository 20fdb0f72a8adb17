#!/usr/bin/env python3
"""The workbook benchmark's input: a wide xlsx written by xlsxwriter.

Writes OUT (default /tmp/popdelta-bench/data/wide.xlsx), one sheet `data`: header
`region,group,2016,2017`, then ROWS (default 500,000) synthetic regions, R0000000 on,
each in one of four groups, with a 2016 population between 500 and 5,000,000 and a 2017
one within 2% of it. Deterministic: the same book on every run (seed 7).

Usage: gen_xlsx.py [--rows N] [--out FILE]    (needs xlsxwriter)
"""
import argparse
import os
import random

import xlsxwriter

GROUPS = ["north", "south", "east", "west"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=500_000)
    p.add_argument("--out", default="/tmp/popdelta-bench/data/wide.xlsx")
    a = p.parse_args()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    random.seed(7)
    book = xlsxwriter.Workbook(a.out, {"constant_memory": True})
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, ["region", "group", "2016", "2017"])
    for i in range(a.rows):
        first = random.randint(500, 5_000_000)
        second = max(0, first + random.randint(-first // 50, first // 50))
        sheet.write_row(i + 1, 0, [f"R{i:07d}", GROUPS[i % 4], first, second])
    book.close()


if __name__ == "__main__":
    main()

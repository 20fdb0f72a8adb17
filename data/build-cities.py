#!/usr/bin/env python3
"""Builds data/cities.csv (the china-cities figures file) from the researched reference
file, ../shared/reference/china/cities.csv (or the path given): every figure keeps its
definition, vintage, confidence and sources; a derived figure says how it was derived.

    python3 data/build-cities.py ../shared/reference/china/cities.csv > data/cities.csv
"""
import csv
import re
import sys

CODES = {
    "Hangzhou": "330100", "Chengdu": "510100", "Wuhan": "420100", "Xi'an": "610100",
    "Zhengzhou": "410100", "Changsha": "430100", "Shenzhen": "440300",
    "Shenyang": "210100", "Tianjin": "120000", "Chongqing": "500000",
}

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/china/cities.csv"
rows = list(csv.DictReader(open(src, encoding="utf-8")))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["code", "region_en", "region_zh", "year", "population_10k",
              "population_confidence", "population_sources", "note", "derived"])
for r in rows:
    definition = r["definition"]
    m = re.search(r"DERIVED ([^;]*)", definition)
    derived = m.group(1).strip() if m else ""
    note = f"{definition}; vintage: {r['vintage']}"
    out.writerow([CODES[r["city_en"]], r["city_en"], r["city_zh"], r["year"],
                  r["population_10k"], r["confidence"], r["source"], note, derived])

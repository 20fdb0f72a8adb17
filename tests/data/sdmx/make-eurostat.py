"""Writes demo_gind's figures of 2013-2015 (the real TSV in tests/data/real) as Eurostat's
dissemination API serves SDMX-CSV 2.0 with labels=both: each code column followed by its
label column, flags in OBS_FLAG with their labels, missing figures left out.
Run from the repository root: python3 tests/data/sdmx/make-eurostat.py
"""
import csv, importlib.util

spec = importlib.util.spec_from_file_location("js", "tests/data/jsonstat/make-eurostat.py")
# The geo labels are the JSON-stat file's; import its table without running it twice.
src = open("tests/data/jsonstat/make-eurostat.py", encoding="utf-8").read()
LABELS = {}
exec(src.split("rows = list(")[0], {}, ns := {})
LABELS = ns["LABELS"]
TSV = "tests/data/real/eurostat-demo_gind-population-change-2016.tsv"
OUT = "tests/data/sdmx/eurostat-demo_gind-2013-2015-labels.csv"
YEARS = ["2013", "2014", "2015"]
FLAGS = {"b": "break in time series", "e": "estimated", "p": "provisional",
         "bp": "break in time series, provisional", "ep": "estimated, provisional",
         "bep": "break in time series, estimated, provisional"}
rows = list(csv.reader(open(TSV, encoding="utf-8"), delimiter="\t"))
header = [h.strip() for h in rows[0]]
cols = {y: header.index(y) for y in YEARS}
with open(OUT, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency",
                "indic_de", "Demographic indicator", "geo", "Geopolitical entity (reporting)",
                "TIME_PERIOD", "Time", "OBS_VALUE", "Observation value", "OBS_FLAG",
                "Observation status (Flag) V2 structure", "CONF_STATUS",
                "Confidentiality status (flag)"])
    for r in rows[1:]:
        indic, geo = r[0].split(",")
        for y in YEARS:
            figure, _, flag = r[cols[y]].strip().partition(" ")
            if figure == ":":
                continue
            w.writerow(["dataflow", "ESTAT:DEMO_GIND(1.0)",
                        "Population change - Demographic balance and crude rates at national level",
                        "A", "Annual", indic, indic, geo, LABELS[geo], y, "", figure, "",
                        flag, FLAGS.get(flag, ""), "", ""])

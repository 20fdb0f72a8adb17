"""Lays out demo_gind's figures of 2013-2015 (the real TSV in tests/data/real) as
Eurostat's dissemination API serves JSON-stat 2.0: `value` and `status` as objects keyed
by flat index (missing figures left out), `index` and `label` objects, geo labels as the
API gives them. Run from the repository root: python3 tests/data/jsonstat/make-eurostat.py
"""
import csv, json

TSV = "tests/data/real/eurostat-demo_gind-population-change-2016.tsv"
OUT = "tests/data/jsonstat/eurostat-demo_gind-2013-2015.json"
YEARS = ["2013", "2014", "2015"]
LABELS = {
    "AD": "Andorra", "AL": "Albania", "AM": "Armenia", "AT": "Austria", "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina", "BE": "Belgium", "BG": "Bulgaria", "BY": "Belarus",
    "CH": "Switzerland", "CY": "Cyprus", "CZ": "Czech Republic",
    "DE": "Germany (until 1990 former territory of the FRG)",
    "DE_TOT": "Germany including former GDR", "DK": "Denmark",
    "EA18": "Euro area (18 countries)", "EA19": "Euro area (19 countries)", "EE": "Estonia",
    "EEA30": "European Economic Area (EU27 - 2007-2013 and IS, LI, NO)",
    "EEA31": "European Economic Area (EU28 - 2013-2020 and IS, LI, NO)",
    "EFTA": "European Free Trade Association", "EL": "Greece", "ES": "Spain",
    "EU27": "European Union (27 countries)", "EU28": "European Union (28 countries)",
    "FI": "Finland", "FR": "France", "FX": "France (metropolitan)", "GE": "Georgia",
    "HR": "Croatia", "HU": "Hungary", "IE": "Ireland", "IS": "Iceland", "IT": "Italy",
    "LI": "Liechtenstein", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia",
    "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro",
    "MK": "Former Yugoslav Republic of Macedonia, the", "MT": "Malta", "NL": "Netherlands",
    "NO": "Norway", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RS": "Serbia",
    "RU": "Russia", "SE": "Sweden", "SI": "Slovenia", "SK": "Slovakia", "SM": "San Marino",
    "TR": "Turkey", "UA": "Ukraine", "UK": "United Kingdom", "XK": "Kosovo (under United Nations Security Council Resolution 1244/99)",
}

rows = list(csv.reader(open(TSV, encoding="utf-8"), delimiter="\t"))
header = [h.strip() for h in rows[0]]
cols = {y: header.index(y) for y in YEARS}
cells = {}
indics, geos = [], []
for r in rows[1:]:
    indic, geo = r[0].split(",")
    if indic not in indics:
        indics.append(indic)
    if geo not in geos:
        geos.append(geo)
    for y in YEARS:
        cells[(indic, geo, y)] = r[cols[y]].strip()
value, status = {}, {}
for i, indic in enumerate(indics):
    for g, geo in enumerate(geos):
        for t, y in enumerate(YEARS):
            text = cells.get((indic, geo, y), ":")
            figure, _, flag = text.partition(" ")
            k = str((i * len(geos) + g) * len(YEARS) + t)
            if figure != ":":
                value[k] = float(figure) if "." in figure else int(figure)
            if flag:
                status[k] = flag
doc = {
    "version": "2.0", "class": "dataset",
    "label": "Population change - Demographic balance and crude rates at national level",
    "source": "ESTAT", "updated": "2016-02-10T23:00:00+0100",
    "value": value, "status": status,
    "id": ["freq", "indic_de", "geo", "time"],
    "size": [1, len(indics), len(geos), len(YEARS)],
    "dimension": {
        "freq": {"label": "Time frequency", "category": {"index": {"A": 0}, "label": {"A": "Annual"}}},
        "indic_de": {"label": "Demographic indicator", "category": {
            "index": {c: n for n, c in enumerate(indics)}, "label": {c: c for c in indics}}},
        "geo": {"label": "Geopolitical entity (reporting)", "category": {
            "index": {c: n for n, c in enumerate(geos)}, "label": {c: LABELS[c] for c in geos}}},
        "time": {"label": "Time", "category": {
            "index": {y: n for n, y in enumerate(YEARS)}, "label": {y: y for y in YEARS}}},
    },
    "extension": {"lang": "EN", "id": "DEMO_GIND", "status": {"label": {
        "b": "break in time series", "e": "estimated", "p": "provisional"}}},
}
json.dump(doc, open(OUT, "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))

"""Writes the workbooks in this folder with openpyxl (what pandas' to_excel uses), as a
user's script would: no cached dimension beyond what openpyxl writes, inline numbers,
strings shared. Run: python3 make.py (openpyxl 3.1). The files are committed; tests read
them as they are."""
import openpyxl

def book(name, rows, far=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if far:
        ws[far[0]] = far[1]
    wb.save(name)

book("openpyxl-provinces-en.xlsx", [["region", 2016, 2017], ["Beijing", 21729000, 21707000], ["Shanghai", 24197000, 24183300]])
book("openpyxl-provinces-zh.xlsx", [["地区", "2016", "2017"], ["北京市", 21729000, 21707000], ["上海市", 24197000, 24183300]])
book("openpyxl-counties-codes.xlsx", [["code", "county", 2016, 2017], ["01001", "Autauga County", 55416, 55504], ["01003", "Baldwin County", 208563, 212628]])
book("openpyxl-far-cell.xlsx", [["region", 2016, 2017], ["Beijing", 21729000, 21707000], ["Shanghai", 24197000, 24183300]], far=("XFD1048576", "x"))

# ODS written by odfpy (LibreOffice's format, as Python scripts write it): the same table,
# with a far cell's worth of repeated empty columns as LibreOffice writes them.
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

def ods(name, rows):
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Sheet1")
    for r in rows:
        tr = TableRow()
        for v in r:
            if isinstance(v, int):
                c = TableCell(valuetype="float", value=v)
            else:
                c = TableCell(valuetype="string")
            c.addElement(P(text=str(v)))
            tr.addElement(c)
        tr.addElement(TableCell(numbercolumnsrepeated=1020))
        t.addElement(tr)
    t.addElement(TableRow(numberrowsrepeated=1048570))
    doc.spreadsheet.addElement(t)
    doc.save(name)

ods("odfpy-provinces-en.ods", [["region", 2016, 2017], ["Beijing", 21729000, 21707000], ["Shanghai", 24197000, 24183300]])

# xlsb (Excel's binary workbook) written by pyxlsbwriter 0.1.0, the one Python writer of
# the format: the English table, numbers as numbers.
from pyxlsbwriter import XlsbWriter

with XlsbWriter("pyxlsbwriter-provinces-en.xlsb") as w:
    w.add_sheet("Data")
    w.write_sheet([["region", "2016", "2017"], ["Beijing", 21729000, 21707000], ["Shanghai", 24197000, 24183300], ["Jilin", 27330300, 27174300]])

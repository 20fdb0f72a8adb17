//! Spreadsheets out: results written as typed workbooks ([`write`]). Workbooks are read
//! as tables by [`crate::load::formats::workbook`].

pub mod write;

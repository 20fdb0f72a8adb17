//! Spreadsheets in and out: workbooks read as tables ([`read`]), whatever wrote them.

pub mod read;

//! Spreadsheets in and out: workbooks read as tables ([`read`]), whatever wrote them, and
//! results written as typed workbooks ([`write`]).

pub mod ods;
pub mod read;
pub mod write;
pub mod xls;

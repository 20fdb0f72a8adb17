//! popdelta: how a population changed, where, and why.
//!
//! The pipeline is `load -> panel -> compute -> render`: loaders turn input into a
//! [`panel::Panel`] (region x year), [`compute::compare`] turns two years of it into a
//! [`compute::Comparison`], and [`render`] writes that for people or programs.

pub mod check;
pub mod compute;
pub mod error;
pub mod load;
pub mod number;
pub mod output;
pub mod panel;
pub mod render;

pub use error::{Error, Result};

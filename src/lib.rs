//! popdelta: how a population changed, where, and why.
//!
//! The pipeline is `load -> panel -> compute -> render`: loaders turn input into a
//! [`panel::Panel`] (region x year), [`compute::compare`] turns two years of it into a
//! [`compute::Comparison`], and [`render`] writes that for people or programs.
//!
//! ```
//! use popdelta::compute;
//! use popdelta::load::bundled::{self, Dataset};
//!
//! // The default dataset ("china", as first published), its default grouping (north-south).
//! let panel = bundled::load(Dataset::default(), None)?;
//! let cmp = compute::compare(&panel, 2016, 2017)?;
//! let beijing = cmp.region("Beijing").expect("Beijing is in the data");
//! assert_eq!(beijing.change, Some(-22_000));
//! assert_eq!(cmp.group("north").and_then(|g| g.pop_to), Some(581_040_200));
//! # Ok::<(), popdelta::Error>(())
//! ```

#![deny(clippy::undocumented_unsafe_blocks)]

pub mod check;
pub mod compute;
pub mod error;
pub mod load;
pub mod number;
pub mod output;
pub mod panel;
pub mod period;
pub mod render;
pub mod spreadsheet;
pub mod threads;
pub mod timings;

pub use error::{Error, Result};

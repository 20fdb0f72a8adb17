//! Loading: from bytes (or the bundled data) to a [`Panel`](crate::panel::Panel).

pub mod bundled;

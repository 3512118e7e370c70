//! The scenario editor's fields: the registry of [`crate::scenario::fields`] and the editing
//! operations of [`crate::scenario::edit`], under the names the workbench uses. Nothing
//! here is terminal-specific, which is why it lives in the domain.

pub use crate::scenario::edit::*;
pub use crate::scenario::fields::*;

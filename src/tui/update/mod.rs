//! The handlers behind [`super::app::update`], one file per kind of input: normal-mode keys,
//! the field editor, routing legs, the overlays, files and their outcomes, the mouse. Each changes the
//! [`super::app::App`] and returns effects; none does I/O, and none imports drawing code (it
//! reads the view-model in [`super::model`] instead; tests/layering.rs checks it).

pub(crate) mod editing;
pub(crate) mod files;
pub(crate) mod keys;
pub(crate) mod legs;
pub(crate) mod mouse;
pub(crate) mod overlays;

//! The full-screen diff reviewer: two revisions compared section by section, walked hunk by
//! hunk, with notes and a review decision recorded in the history.
pub mod app;
pub mod model;
pub mod update;
pub mod view;
pub mod watch;

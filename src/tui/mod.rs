//! The terminal shell: a thin ratatui layer over the core (model → update → view).
pub mod app;
pub mod editor;
pub mod follow;
pub mod keymap;
pub mod markdown;
pub mod model;
pub mod picker;
pub mod proposals;
pub mod review;
pub mod save;
pub mod screen;
mod signals;
pub mod start;
pub mod theme;
pub mod ui;
pub mod update;
pub mod yaml_preview;

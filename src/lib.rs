//! spec-interview: a pure core (questionnaires, answers, documents, revisions) and the shells on top.
pub mod aside;
pub mod config;
pub mod core;
pub mod plain;
pub mod provenance;
pub mod tui;

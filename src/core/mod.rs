//! The pure core: questionnaires, answers and sessions, document rendering and lint, revisions and their review.
//! Nothing here knows about terminals.
pub mod anchor;
pub mod answer;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub mod document;
pub mod fsio;
pub mod history;
pub mod lint;
pub mod matcher;
pub mod questionnaire;
pub mod reference;
pub mod review;
pub mod sanitize;
pub mod saving;
pub mod schema;
pub mod session;
pub mod template_env;
pub mod viewed;
pub mod wrap;

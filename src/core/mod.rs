//! The pure core: questionnaires, answers and sessions, document rendering and lint, revisions and their review.
//! Nothing here knows about terminals.
pub mod answer;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub mod document;
pub mod filler;
pub mod finding;
pub mod fsio;
pub mod history;
pub mod instance;
pub mod lint;
pub mod matcher;
pub mod project_docs;
pub mod questionnaire;
pub mod reference;
pub mod review;
pub mod rules;
pub mod sanitize;
pub mod saving;
pub mod schema;
pub mod session;
pub mod shape;
pub mod state;
pub mod template_env;
pub mod wrap;

//! `show`: a questionnaire, or a commented answers file to fill in.
use std::sync::Arc;

use super::{CommandResult, Context, Failure, Outcome, print_json, say_raw};
use spec_interview::core::session::{self};

pub fn show(ctx: &Context, id: &str, json: bool, answers_template: bool) -> CommandResult {
    let catalog = ctx.catalog_quiet_about(Some(id));
    // A broken override does not hide what it overrides here: showing it is how one is written.
    let q = match catalog.get_loadable(id) {
        Some(entry) => Arc::clone(&entry.questionnaire),
        None => ctx.questionnaire(&catalog, id)?,
    };
    if answers_template {
        if json {
            return Err(Failure::usage("--answers-template prints TOML; drop --format json."));
        }
        // Titles, prompts, help and options come from a questionnaire file: sanitised.
        say_raw(&session::answers_template(&q));
    } else if json {
        print_json(&*q);
    } else {
        say_raw(&q.origin.text);
    }
    Ok(Outcome::Fine)
}

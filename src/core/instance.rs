//! Instances of a questionnaire: one set of documents, session and history per value of its
//! instance keys (seed 002: one per epic and feature). The keys are answers; each must be a
//! safe path segment, and they name both the documents' folder and the session.
use crate::core::answer::Answer;
use crate::core::fsio::{Kind, Project, SESSIONS};
use crate::core::questionnaire::Questionnaire;
use crate::core::session::{Answers, given_answer};

/// Joins the key values into the instance's name: `crm` and `bulk-import` → `crm--bulk-import`.
pub const SEPARATOR: &str = "--";

/// Why the answers do not name an instance yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceProblem {
    #[error("\"{label}\" ({id}) is not answered, and it names the folder this questionnaire's documents go to")]
    Open { id: String, label: String },
    #[error("\"{label}\" ({id}) is \"{value}\", which cannot name a folder: {why}")]
    Unsafe {
        id: String,
        label: String,
        value: String,
        why: String,
    },
}

/// Whether `value` can be one path segment: 1 to 64 ASCII letters, digits, `-`, `_` or `.`,
/// starting with a letter or digit, so never `.`, `..`, a slash or a hidden name.
pub fn check_segment(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it is empty".into());
    }
    if value.len() > 64 {
        return Err("it is longer than 64 characters".into());
    }
    if !value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Err("it must start with a letter or a digit".into());
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "it holds \"{c}\"; use letters, digits, \"-\", \"_\" and \".\" only"
        ));
    }
    if value.contains(SEPARATOR) {
        return Err(format!(
            "it holds \"{SEPARATOR}\", which separates the keys in the session's name"
        ));
    }
    Ok(())
}

/// The value of each instance key, in order, or why there is none yet.
pub fn keys<'a>(
    questionnaire: &'a Questionnaire,
    answers: &'a Answers,
) -> Result<Vec<(&'a str, String)>, InstanceProblem> {
    questionnaire
        .instance
        .iter()
        .map(|id| {
            let question = questionnaire.question(id);
            let label = question.map_or_else(|| id.clone(), |q| q.label.clone());
            let value = question.and_then(|q| match given_answer(q, answers) {
                Some(Answer::Text(t)) => Some(t.trim().to_string()),
                _ => None,
            });
            let Some(value) = value else {
                return Err(InstanceProblem::Open { id: id.clone(), label });
            };
            check_segment(&value).map_err(|why| InstanceProblem::Unsafe {
                id: id.clone(),
                label,
                value: value.clone(),
                why,
            })?;
            Ok((id.as_str(), value))
        })
        .collect()
}

/// The instance the answers name (`None` for a questionnaire without instance keys).
pub fn name(questionnaire: &Questionnaire, answers: &Answers) -> Result<Option<String>, InstanceProblem> {
    if questionnaire.instance.is_empty() {
        return Ok(None);
    }
    let values: Vec<String> = keys(questionnaire, answers)?.into_iter().map(|(_, v)| v).collect();
    Ok(Some(values.join(SEPARATOR)))
}

/// Whether documents may be saved from these answers: a questionnaire kept per instance needs
/// its keys answered with safe names and, once opened for an instance, the same keys the
/// instance has (its documents' folder and their text must agree). Says why not in a sentence.
pub fn check_saving(questionnaire: &Questionnaire, answers: &Answers) -> Result<(), String> {
    let named = name(questionnaire, answers).map_err(|p| format!("Not saved: {p}."))?;
    match (&questionnaire.opened_instance, named) {
        (Some(opened), Some(named)) if *opened != named => Err(format!(
            "Not saved: the keys now name {}, but this session is {}; put the keys back, or start {} as a new one.",
            named.replace(SEPARATOR, " / "),
            opened.replace(SEPARATOR, " / "),
            named.replace(SEPARATOR, " / ")
        )),
        _ => Ok(()),
    }
}

/// A declared document path with the instance keys put in (`{epic_key}` → `crm`); a key not
/// answered yet, or not a safe segment, stays as its placeholder.
pub fn document_path(declared: &str, questionnaire: &Questionnaire, answers: &Answers) -> String {
    let mut path = declared.to_string();
    for id in &questionnaire.instance {
        let value = questionnaire.question(id).and_then(|q| match given_answer(q, answers) {
            Some(Answer::Text(t)) if check_segment(t.trim()).is_ok() => Some(t.trim().to_string()),
            _ => None,
        });
        if let Some(value) = value {
            path = path.replace(&format!("{{{id}}}"), &value);
        }
    }
    path
}

/// The name the session goes by under `.specflow/sessions/`: the questionnaire id, or
/// `id/instance` for an instance (`architecture-workflow/crm--bulk-import`). It is what
/// `Project::session_file` and `Project::session_lock` take.
pub fn session_key(questionnaire_id: &str, instance: Option<&str>) -> String {
    match instance {
        Some(instance) => format!("{questionnaire_id}/{instance}"),
        None => questionnaire_id.to_string(),
    }
}

/// The instances of `questionnaire_id` that have a session, by name, sorted (read through the
/// project's contained folders: a link is not followed).
pub fn existing(project: &Project, questionnaire_id: &str) -> Vec<String> {
    let Ok(Some(folder)) = project.folder(&format!("{SESSIONS}/{questionnaire_id}"), false) else {
        return Vec::new();
    };
    let mut names: Vec<String> = folder
        .entries()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.kind == Kind::File)
        .filter_map(|e| e.name().and_then(|n| n.strip_suffix(".toml")).map(str::to_string))
        .filter(|n| n.split(SEPARATOR).all(|part| check_segment(part).is_ok()))
        .collect();
    names.sort();
    names
}

/// The questionnaire opened for one instance: its documents' paths with the key values put
/// in, and its session named after the instance. `None` when the name does not fit the keys.
pub fn resolved(questionnaire: &Questionnaire, instance: &str) -> Option<Questionnaire> {
    let answers = split(questionnaire, instance)?;
    let mut q = questionnaire.clone();
    for d in &mut q.documents {
        d.path = document_path(&d.path, questionnaire, &answers);
    }
    q.opened_instance = Some(instance.to_string());
    Some(q)
}

/// The answers a new session of an opened instance starts with: its keys.
pub fn seed(questionnaire: &Questionnaire) -> Option<Answers> {
    split(questionnaire, questionnaire.opened_instance.as_deref()?)
}

/// The key values an instance name stands for, in the questionnaire's key order.
pub fn split(questionnaire: &Questionnaire, instance: &str) -> Option<Answers> {
    let parts: Vec<&str> = instance.split(SEPARATOR).collect();
    if parts.len() != questionnaire.instance.len() || parts.iter().any(|p| check_segment(p).is_err()) {
        return None;
    }
    Some(
        questionnaire
            .instance
            .iter()
            .zip(parts)
            .map(|(id, part)| (id.clone(), Answer::Text(part.to_string())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_safe_names_and_nothing_else() {
        for good in ["crm", "bulk-import", "CRM-12", "v1.2", "a_b"] {
            assert!(check_segment(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "a b",
            "-x",
            "a--b",
            "é",
            &"x".repeat(65),
        ] {
            assert!(check_segment(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn session_keys_name_a_folder_per_questionnaire() {
        use std::path::Path;
        assert_eq!(session_key("d04", None), "d04");
        assert_eq!(session_key("aw", Some("crm--bulk-import")), "aw/crm--bulk-import");
        let project = Project::new("/p");
        assert_eq!(
            project.session_file(&session_key("aw", Some("crm--x"))),
            Path::new("/p/.specflow/sessions/aw/crm--x.toml")
        );
    }
}

//! Requirements and endpoints traced both ways: each listed requirement (FR-ID first) with the
//! endpoints that serve it or its recorded deferral, and each endpoint with its FR-IDs; what
//! `check` reports when a requirement that must be served has neither, or an endpoint serves
//! none of them.
use serde::Serialize;

use super::build::fr_ids;
use super::{Answers, ENDPOINT_WITHOUT_REQUIREMENT, REQUIREMENT_WITHOUT_ENDPOINT};
use crate::core::answer::Answer;
use crate::core::finding::Finding;
use crate::core::questionnaire::{OpenApiMapping, Severity};

/// One requirement and what serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub fr_id: String,
    /// The rest of its line ("Patient books an appointment").
    pub title: String,
    /// Owed an endpoint in this pass (P0 or MVP), or only allowed one (P1).
    pub must: bool,
    /// `METHOD /path` of each endpoint tracing to it.
    pub endpoints: Vec<String>,
    /// Named among the items knowingly left out.
    pub deferred: bool,
    /// The question and 1-based item it was listed in.
    #[serde(skip)]
    pub source: (String, usize),
}

/// The matrix, and the endpoints that trace to none of the requirements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Traceability {
    pub requirements: Vec<Requirement>,
    /// `METHOD /path` of endpoints whose FR-IDs name no listed requirement.
    pub untraced: Vec<String>,
}

/// The requirements' lines, as (FR-ID, title).
fn lines(answers: &dyn Answers, id: &str) -> Vec<(String, String)> {
    match answers.answer(id) {
        Some(Answer::List(items)) => items
            .iter()
            .map(|line| {
                let line = crate::core::sanitize::sanitize(line.trim()).into_owned();
                let id_end = line.find(|c: char| c == ':' || c.is_whitespace()).unwrap_or(line.len());
                let fr = line[..id_end].trim().to_uppercase();
                let title = line[id_end..].trim_start_matches(':').trim().to_string();
                (fr, title)
            })
            .collect(),
        _ => Vec::new(),
    }
}

struct Endpoint {
    shown: String,
    row: usize,
    fr: Vec<String>,
}

fn endpoints(mapping: &OpenApiMapping, answers: &dyn Answers) -> Vec<Endpoint> {
    let t = &mapping.endpoints;
    let (Some(method), Some(path), Some(req)) = (t.column("method"), t.column("path"), t.column("requirements")) else {
        return Vec::new();
    };
    match answers.answer(&t.question) {
        Some(Answer::Table(rows)) => rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let cell = |c: &str| crate::core::sanitize::sanitize(r.get(c).map_or("", |v| v.trim())).into_owned();
                Endpoint {
                    shown: format!("{} {}", cell(method).to_uppercase(), cell(path)),
                    row: i + 1,
                    fr: fr_ids(&cell(req)),
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The traceability matrix of a generated document's mapping.
pub fn traceability(mapping: &OpenApiMapping, answers: &dyn Answers) -> Traceability {
    let eps = endpoints(mapping, answers);
    let deferred: Vec<String> = mapping
        .deferred
        .as_deref()
        .map(|d| match answers.answer(d) {
            Some(Answer::List(items)) => items.iter().flat_map(|i| fr_ids(i)).collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let mut requirements: Vec<Requirement> = Vec::new();
    for (list, must) in mapping
        .requirements
        .iter()
        .map(|l| (l, true))
        .chain(mapping.later_requirements.iter().map(|l| (l, false)))
    {
        for (i, (fr, title)) in lines(answers, list).into_iter().enumerate() {
            if fr.is_empty() || requirements.iter().any(|r| r.fr_id == fr) {
                continue;
            }
            requirements.push(Requirement {
                endpoints: eps
                    .iter()
                    .filter(|e| e.fr.contains(&fr))
                    .map(|e| e.shown.clone())
                    .collect(),
                deferred: deferred.contains(&fr),
                fr_id: fr,
                title,
                must,
                source: (list.clone(), i + 1),
            });
        }
    }
    let untraced = if requirements.is_empty() {
        eps.iter()
            .filter(|e| e.fr.is_empty())
            .map(|e| e.shown.clone())
            .collect()
    } else {
        eps.iter()
            .filter(|e| !e.fr.iter().any(|f| requirements.iter().any(|r| r.fr_id == *f)))
            .map(|e| e.shown.clone())
            .collect()
    };
    Traceability { requirements, untraced }
}

/// What `check` reports on the traceability.
pub fn findings(mapping: &OpenApiMapping, answers: &dyn Answers) -> Vec<Finding> {
    let mut out = Vec::new();
    if mapping.endpoints.column("requirements").is_none() {
        return out;
    }
    let matrix = traceability(mapping, answers);
    for r in matrix
        .requirements
        .iter()
        .filter(|r| r.must && r.endpoints.is_empty() && !r.deferred)
    {
        let mut f = Finding::new(
            REQUIREMENT_WITHOUT_ENDPOINT,
            Severity::Error,
            Some(&r.source.0),
            format!(
                "{} ({}) has no endpoint and no recorded deferral: add the endpoint that serves it, or list it among what is left out of this pass with the reason.",
                r.fr_id,
                if r.title.is_empty() { "no title" } else { &r.title }
            ),
        );
        f.row = Some(r.source.1);
        out.push(f);
    }
    let listed: Vec<&str> = matrix.requirements.iter().map(|r| r.fr_id.as_str()).collect();
    for e in endpoints(mapping, answers) {
        let traced = if listed.is_empty() {
            !e.fr.is_empty()
        } else {
            e.fr.iter().any(|f| listed.contains(&f.as_str()))
        };
        if !traced {
            let mut f = Finding::new(
                ENDPOINT_WITHOUT_REQUIREMENT,
                Severity::Error,
                Some(&mapping.endpoints.question),
                if e.fr.is_empty() {
                    format!("{} traces to no requirement: add the FR-ID it serves.", e.shown)
                } else {
                    format!(
                        "{} traces to {}, which no requirement list of this pass holds: add the requirement, or correct the FR-ID.",
                        e.shown,
                        e.fr.join(", ")
                    )
                },
            );
            f.row = Some(e.row);
            out.push(f);
        }
    }
    out
}

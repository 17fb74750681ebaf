//! Proposed answers: findings turned into values for a questionnaire's questions (in the
//! question's own option vocabulary), each with its evidence, a confidence and its source.
//! Proposals that disagree on a single-valued question are kept and marked as contradicting.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::fact::{ApiStyle, AuthMethod, AuthzModel, DataStyle, Evidence, Fact, Finding, Strength};
use crate::core::answer::Answer;
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::core::quick;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Where a proposal comes from: the project's files, or an earlier document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Repository,
    Document,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Repository => "repository",
            Source::Document => "document",
        }
    }
}

/// One proposed answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// The question id.
    pub question: String,
    /// The value as an answers file writes it: an option's text for a choice, a one-item
    /// array for a multiple choice or a list (accepting adds the item).
    pub value: Answer,
    pub evidence: Evidence,
    pub confidence: Confidence,
    pub source: Source,
    /// The other values proposed for the same single-valued question.
    pub contradicts: Vec<String>,
}

impl Proposal {
    /// The value on one line, for people.
    pub fn value_text(&self) -> String {
        answer_text(&self.value)
    }

    /// The group "accept all from this source" takes: the repository, or one document.
    pub fn source_key(&self) -> String {
        match self.source {
            Source::Repository => "repository".into(),
            Source::Document => format!("document {}", self.evidence.file),
        }
    }
}

/// An answer on one line.
pub fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Text(s) | Answer::Assumption { assumption: s } => s.clone(),
        Answer::List(items) => items.join(", "),
        Answer::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Answer::Integer(i) => i.to_string(),
        Answer::Float(f) => f.to_string(),
        Answer::Table(rows) => format!("{} rows", rows.len()),
    }
}

/// What the findings say about one concern, before it is fitted to a question.
#[derive(Debug, Clone)]
struct Candidate {
    /// Question ids that ask about this concern, in order of preference.
    questions: &'static [&'static str],
    /// The value as text (for free-text questions).
    value: String,
    /// Words that name the matching option of a choice question.
    terms: Vec<String>,
    evidence: Evidence,
    confidence: Confidence,
}

/// The confidence a set of findings gives: configuration, or a declaration confirmed by use,
/// is high; a declaration or a use alone is medium; hints alone are low.
fn confidence_of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Confidence {
    let mut declared = false;
    let mut used = false;
    let mut configured = false;
    for f in findings {
        match f.strength {
            Strength::Configured => configured = true,
            Strength::Declared => declared = true,
            Strength::Used => used = true,
            Strength::Hint => {}
        }
    }
    match (configured, declared, used) {
        (true, ..) | (false, true, true) => Confidence::High,
        (false, true, false) | (false, false, true) => Confidence::Medium,
        _ => Confidence::Low,
    }
}

/// How telling a piece of evidence is: configuration, then the manifest that declares a
/// library, then code that uses it, then hints.
fn rank(strength: Strength) -> u8 {
    match strength {
        Strength::Configured => 3,
        Strength::Declared => 2,
        Strength::Used => 1,
        Strength::Hint => 0,
    }
}

/// The most telling evidence (see `rank`); then the shortest path (the main manifest over a
/// nested one), then the earliest line.
fn best_evidence<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Option<Evidence> {
    findings
        .into_iter()
        .max_by(|a, b| {
            rank(a.strength)
                .cmp(&rank(b.strength))
                .then_with(|| {
                    b.evidence
                        .file
                        .matches('/')
                        .count()
                        .cmp(&a.evidence.file.matches('/').count())
                })
                .then_with(|| b.evidence.file.cmp(&a.evidence.file))
                .then_with(|| b.evidence.line.cmp(&a.evidence.line))
        })
        .map(|f| f.evidence.clone())
}

/// Frameworks built on another one: when both are found, the upper one is the answer.
const BUILT_ON: &[(&str, &str)] = &[
    ("NestJS", "Express"),
    ("NestJS", "Fastify"),
    ("FastAPI", "Starlette"),
    ("Litestar", "Starlette"),
    ("Loco", "axum"),
    ("Spring Boot", "Spring MVC"),
];

fn runtime_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut languages: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut frameworks: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        match &f.fact {
            Fact::Language { name, .. } => languages.entry(name).or_default().push(f),
            Fact::Framework { name, language, .. } if f.strength != Strength::Hint => {
                frameworks.entry((language, name)).or_default().push(f);
            }
            _ => {}
        }
    }
    let names: Vec<&str> = frameworks.keys().map(|(_, n)| *n).collect();
    frameworks.retain(|(_, name), _| {
        !BUILT_ON
            .iter()
            .any(|(upper, lower)| lower == name && names.contains(upper))
    });
    let version_of = |language: &str| -> Option<String> {
        let fs = languages.get(language)?;
        let mut with: Vec<&&Finding> = fs
            .iter()
            .filter(|f| matches!(&f.fact, Fact::Language { version: Some(_), .. }))
            .collect();
        with.sort_by_key(|f| std::cmp::Reverse(f.strength));
        with.first().and_then(|f| match &f.fact {
            Fact::Language { version, .. } => version.clone(),
            _ => None,
        })
    };
    let label = |language: &str| match version_of(language) {
        Some(v) => format!("{language} {v}"),
        None => language.to_string(),
    };
    let mut out = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for ((language, name), fs) in &frameworks {
        let version = fs.iter().find_map(|f| match &f.fact {
            Fact::Framework { version: Some(v), .. } => Some(v.clone()),
            _ => None,
        });
        let framework = version.map_or_else(|| (*name).to_string(), |v| format!("{name} {v}"));
        let mut all: Vec<&Finding> = fs.clone();
        all.extend(languages.get(language).into_iter().flatten().copied());
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["runtime", "existing_patterns", "existing_stack"],
            value: format!("{} with {framework}", label(language)),
            terms: vec![(*language).to_string(), (*name).to_string()],
            evidence,
            confidence: confidence_of(all.iter().copied()),
        });
        covered.push(language);
    }
    for (language, fs) in &languages {
        if covered.contains(language) || fs.iter().all(|f| f.strength == Strength::Hint) {
            continue;
        }
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["runtime", "existing_patterns", "existing_stack"],
            value: label(language),
            terms: vec![(*language).to_string()],
            evidence,
            confidence: confidence_of(fs.iter().copied()).min(Confidence::Medium),
        });
    }
    out
}

fn database_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut engines: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if let Fact::Database { engine, .. } = &f.fact {
            engines.entry(engine).or_default().push(f);
        }
    }
    engines
        .into_iter()
        .filter_map(|(engine, fs)| {
            let versioned: Vec<&Finding> = fs
                .iter()
                .copied()
                .filter(|f| matches!(&f.fact, Fact::Database { version: Some(_), .. }))
                .collect();
            // The evidence shows the version when the value names one.
            let evidence = best_evidence(versioned.iter().copied()).or_else(|| best_evidence(fs.iter().copied()))?;
            let version = versioned
                .iter()
                .find(|f| f.evidence == evidence)
                .and_then(|f| match &f.fact {
                    Fact::Database { version, .. } => version.clone(),
                    _ => None,
                });
            Some(Candidate {
                questions: &["database", "primary_store", "primary_database"],
                value: version.map_or_else(|| engine.to_string(), |v| format!("{engine} {v}")),
                terms: vec![engine.to_string()],
                evidence,
                confidence: confidence_of(fs.iter().copied()),
            })
        })
        .collect()
}

fn style_name(style: ApiStyle) -> &'static str {
    match style {
        ApiStyle::Rest => "REST",
        ApiStyle::GraphQl => "GraphQL",
        ApiStyle::Grpc => "gRPC",
        ApiStyle::Trpc => "tRPC",
    }
}

fn api_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut styles: BTreeMap<ApiStyle, Vec<&Finding>> = BTreeMap::new();
    let mut endpoints: Vec<&Finding> = Vec::new();
    for f in findings {
        match &f.fact {
            Fact::Api { style, .. } if f.strength != Strength::Hint => styles.entry(*style).or_default().push(f),
            Fact::Endpoint { path, .. } if !path.contains("graphql") && !path.contains("trpc") => endpoints.push(f),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let rest_declared = styles.remove(&ApiStyle::Rest).unwrap_or_default();
    if !rest_declared.is_empty() || !endpoints.is_empty() {
        let mut confidence = confidence_of(rest_declared.iter().copied().chain(endpoints.iter().copied()));
        if endpoints.len() >= 3 {
            confidence = Confidence::High;
        }
        if let Some(evidence) =
            best_evidence(rest_declared.iter().copied()).or_else(|| endpoints.first().map(|f| f.evidence.clone()))
        {
            out.push(Candidate {
                questions: &["api_style", "interface_style"],
                value: "REST".into(),
                terms: vec!["REST".into()],
                evidence,
                confidence,
            });
        }
    }
    for (style, fs) in styles {
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["api_style", "interface_style"],
            value: style_name(style).into(),
            terms: vec![style_name(style).into()],
            evidence,
            confidence: confidence_of(fs.iter().copied()),
        });
    }
    if !endpoints.is_empty() {
        let mut seen: Vec<String> = Vec::new();
        for f in &endpoints {
            if let Fact::Endpoint { method, path } = &f.fact {
                let e = format!("{method} {path}");
                if !seen.contains(&e) {
                    seen.push(e);
                }
            }
        }
        let more = seen.len().saturating_sub(SHOWN);
        let mut value = format!(
            "Existing endpoints: {}",
            seen.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ")
        );
        if more > 0 {
            let _ = write!(value, " and {more} more");
        }
        value.push('.');
        let mut prefixes: Vec<&str> = Vec::new();
        for f in findings {
            if let Fact::VersionPrefix { prefix } = &f.fact
                && !prefixes.contains(&prefix.as_str())
            {
                prefixes.push(prefix);
            }
        }
        if !prefixes.is_empty() {
            let _ = write!(value, " Routes are mounted under {}.", prefixes.join(", "));
        }
        out.push(Candidate {
            questions: &["api_conventions", "existing_endpoints"],
            value,
            terms: Vec::new(),
            evidence: endpoints[0].evidence.clone(),
            confidence: Confidence::Medium,
        });
    }
    out
}

fn auth_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut methods: BTreeMap<AuthMethod, Vec<&Finding>> = BTreeMap::new();
    let mut models: BTreeMap<AuthzModel, Vec<&Finding>> = BTreeMap::new();
    let mut providers: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        match &f.fact {
            Fact::Auth { method, .. } if f.strength != Strength::Hint => methods.entry(*method).or_default().push(f),
            Fact::Authz { model, .. } if f.strength != Strength::Hint => models.entry(*model).or_default().push(f),
            Fact::IdentityProvider { name } if f.strength != Strength::Hint => {
                providers.entry(name).or_default().push(f);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (method, fs) in methods {
        let (value, terms): (&str, &[&str]) = match method {
            AuthMethod::Jwt => ("JWT", &["JWT"]),
            AuthMethod::Session => ("session", &["session"]),
            AuthMethod::OAuth => ("OAuth", &["OAuth"]),
            AuthMethod::ApiKeys => ("API keys", &["API keys"]),
        };
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["auth_method", "authentication"],
            value: value.into(),
            terms: terms.iter().map(|s| (*s).to_string()).collect(),
            evidence,
            confidence: confidence_of(fs.iter().copied()),
        });
    }
    for (model, fs) in models {
        let value = match model {
            AuthzModel::Rbac => "RBAC",
            AuthzModel::Abac => "ABAC",
            AuthzModel::Ownership => "ownership-based",
        };
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["authz_model", "authorization"],
            value: value.into(),
            terms: vec![value.into()],
            evidence,
            confidence: confidence_of(fs.iter().copied()),
        });
    }
    for (name, fs) in providers {
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        let confidence = confidence_of(fs.iter().copied());
        out.push(Candidate {
            questions: &["identity_provider"],
            value: name.into(),
            terms: vec![name.into()],
            evidence: evidence.clone(),
            confidence,
        });
        out.push(Candidate {
            questions: &["integrations"],
            value: name.into(),
            terms: Vec::new(),
            evidence,
            confidence,
        });
    }
    out
}

fn versioning_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let prefixes: Vec<&Finding> = findings
        .iter()
        .filter(|f| matches!(f.fact, Fact::VersionPrefix { .. }))
        .collect();
    let mut distinct: Vec<&str> = Vec::new();
    for f in &prefixes {
        if let Fact::VersionPrefix { prefix } = &f.fact
            && !distinct.contains(&prefix.as_str())
        {
            distinct.push(prefix);
        }
    }
    let Some(first) = prefixes.first() else {
        return Vec::new();
    };
    vec![Candidate {
        questions: &["versioning"],
        value: format!("URL path ({})", distinct.join(", ")),
        terms: vec!["URL path".into(), "path".into()],
        evidence: first.evidence.clone(),
        confidence: if prefixes.len() >= 2 {
            Confidence::High
        } else {
            Confidence::Medium
        },
    }]
}

fn data_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut styles: BTreeMap<DataStyle, Vec<&Finding>> = BTreeMap::new();
    let mut repositories: Vec<&Finding> = Vec::new();
    let mut tools: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    let mut folders: Vec<&Finding> = Vec::new();
    for f in findings {
        match &f.fact {
            Fact::DataAccess { style, .. } if f.strength != Strength::Hint => styles.entry(*style).or_default().push(f),
            Fact::Repositories => repositories.push(f),
            Fact::Migrations { tool, folder } => {
                if tool.is_empty() {
                    if folder.is_some() {
                        folders.push(f);
                    }
                } else if f.strength != Strength::Hint || folder.is_some() {
                    tools.entry(tool).or_default().push(f);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let library = |fs: &[&Finding]| {
        fs.iter().find_map(|f| match &f.fact {
            Fact::DataAccess { library, .. } => Some(library.clone()),
            _ => None,
        })
    };
    let pick = |style: DataStyle| -> Option<(&str, Vec<&Finding>)> {
        let fs = styles.get(&style)?;
        let with_repos = !repositories.is_empty();
        let option = match style {
            DataStyle::Orm if with_repos => "repository pattern over an ORM",
            DataStyle::QueryBuilder if with_repos => "repository pattern over a query builder",
            DataStyle::ActiveRecord => "ORM models used directly (active record)",
            DataStyle::Driver
                if !styles.contains_key(&DataStyle::Orm)
                    && !styles.contains_key(&DataStyle::QueryBuilder)
                    && !styles.contains_key(&DataStyle::ActiveRecord) =>
            {
                "hand-written SQL"
            }
            _ => return None,
        };
        let mut all = fs.clone();
        if with_repos && matches!(style, DataStyle::Orm | DataStyle::QueryBuilder) {
            all.extend(repositories.iter().copied());
        }
        Some((option, all))
    };
    for style in [
        DataStyle::Orm,
        DataStyle::QueryBuilder,
        DataStyle::ActiveRecord,
        DataStyle::Driver,
    ] {
        if let Some((option, fs)) = pick(style)
            && let Some(evidence) = best_evidence(styles.get(&style).into_iter().flatten().copied())
        {
            let name = library(styles.get(&style).map_or(&[][..], Vec::as_slice)).unwrap_or_default();
            out.push(Candidate {
                questions: &["data_access"],
                value: format!("{option} ({name})"),
                terms: vec![option.into()],
                evidence,
                confidence: confidence_of(fs.iter().copied()).min(Confidence::Medium),
            });
        }
    }
    let generic_folder = folders.iter().find_map(|f| match &f.fact {
        Fact::Migrations { folder, .. } => folder.clone(),
        _ => None,
    });
    for (tool, fs) in &tools {
        let folder = fs
            .iter()
            .find_map(|f| match &f.fact {
                Fact::Migrations { folder, .. } => folder.clone(),
                _ => None,
            })
            .or_else(|| generic_folder.clone());
        let value = match folder {
            Some(folder) => format!("{tool}, with the migration scripts in {folder}/"),
            None => (*tool).to_string(),
        };
        let Some(evidence) = best_evidence(fs.iter().copied()) else {
            continue;
        };
        out.push(Candidate {
            questions: &["migrations", "schema_migrations"],
            value,
            terms: vec![(*tool).to_string()],
            evidence,
            confidence: confidence_of(fs.iter().copied()),
        });
    }
    if tools.is_empty()
        && let Some(folder) = generic_folder
        && let Some(evidence) = best_evidence(folders.iter().copied())
    {
        out.push(Candidate {
            questions: &["migrations", "schema_migrations"],
            value: format!("Migration scripts in {folder}/"),
            terms: Vec::new(),
            evidence,
            confidence: Confidence::Low,
        });
    }
    out
}

/// How many endpoints an answer lists before "and N more".
const SHOWN: usize = 12;

/// Libraries of one cross-cutting concern composed into one answer ("pino, OpenTelemetry").
fn composed(
    findings: &[Finding],
    questions: &'static [&'static str],
    pick: impl Fn(&Fact) -> Option<(usize, &str)>,
    labels: &[&str],
) -> Option<Candidate> {
    let mut parts: Vec<Vec<&str>> = vec![Vec::new(); labels.len()];
    let mut used: Vec<&Finding> = Vec::new();
    for f in findings {
        if f.strength == Strength::Hint {
            continue;
        }
        if let Some((slot, name)) = pick(&f.fact) {
            if !parts[slot].contains(&name) {
                parts[slot].push(name);
            }
            used.push(f);
        }
    }
    let first_slot: Vec<&Finding> = used
        .iter()
        .copied()
        .filter(|f| pick(&f.fact).is_some_and(|(slot, _)| slot == 0))
        .collect();
    let evidence = best_evidence(first_slot).or_else(|| best_evidence(used.iter().copied()))?;
    let value = parts
        .iter()
        .zip(labels)
        .filter(|(p, _)| !p.is_empty())
        .map(|(p, label)| {
            if label.contains("{}") {
                label.replace("{}", &p.join(", "))
            } else {
                format!("{label}: {}", p.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(Candidate {
        questions,
        value,
        terms: Vec::new(),
        evidence,
        confidence: confidence_of(used.iter().copied()),
    })
}

fn cross_cutting_candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut out = Vec::new();
    let has_jobs = findings
        .iter()
        .any(|f| matches!(f.fact, Fact::Jobs { .. }) && f.strength != Strength::Hint);
    if has_jobs {
        out.extend(composed(
            findings,
            &["background_jobs"],
            |f| match f {
                Fact::Jobs { library } => Some((0, library.as_str())),
                Fact::Queue { name } => Some((1, name.as_str())),
                _ => None,
            },
            &["{}", "brokers: {}"],
        ));
    }
    out.extend(composed(
        findings,
        &["rate_limiting"],
        |f| matches!(f, Fact::RateLimit { .. }).then(|| (0, lib_name(f))),
        &["{} in the application"],
    ));
    out.extend(composed(
        findings,
        &["cors"],
        |f| matches!(f, Fact::Cors { .. }).then(|| (0, lib_name(f))),
        &["{} in the application"],
    ));
    out.extend(composed(
        findings,
        &["request_ids"],
        |f| matches!(f, Fact::RequestId { .. }).then(|| (0, lib_name(f))),
        &["{} in the application"],
    ));
    out.extend(composed(
        findings,
        &["observability", "telemetry"],
        |f| match f {
            Fact::Logging { library } => Some((0, library.as_str())),
            Fact::Tracing { library } => Some((1, library.as_str())),
            Fact::Metrics { library } => Some((2, library.as_str())),
            _ => None,
        },
        &["logs", "traces and errors", "metrics"],
    ));
    let mut services: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if let Fact::Integration { name } = &f.fact
            && f.strength != Strength::Hint
        {
            services.entry(name).or_default().push(f);
        }
    }
    for (name, fs) in services {
        if let Some(evidence) = best_evidence(fs.iter().copied()) {
            out.push(Candidate {
                questions: &["integrations"],
                value: name.into(),
                terms: Vec::new(),
                evidence,
                confidence: confidence_of(fs.iter().copied()),
            });
        }
    }
    out
}

fn lib_name(f: &Fact) -> &str {
    match f {
        Fact::RateLimit { library } | Fact::Cors { library } | Fact::RequestId { library } => library,
        _ => "",
    }
}

/// A candidate's value in the form `question` takes, or `None` when it does not fit.
fn fit(question: &Question, candidate: &Candidate) -> Option<Answer> {
    let option = || {
        candidate
            .terms
            .iter()
            .find_map(|t| quick::option_for(question, t))
            .or_else(|| quick::option_for(question, &candidate.value))
    };
    match question.kind {
        QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Checklist => {
            Some(Answer::Text(candidate.value.clone()))
        }
        QuestionKind::List => Some(Answer::List(vec![candidate.value.clone()])),
        QuestionKind::Choice => option()
            .map(str::to_string)
            .or_else(|| question.other.then(|| candidate.value.clone()))
            .map(Answer::Text),
        QuestionKind::MultiChoice => option()
            .map(str::to_string)
            .or_else(|| question.other.then(|| candidate.value.clone()))
            .map(|v| Answer::List(vec![v])),
        QuestionKind::YesNo | QuestionKind::Number | QuestionKind::Table => None,
    }
}

/// The candidates the findings give, per concern.
fn candidates(findings: &[Finding]) -> Vec<Candidate> {
    let mut out = runtime_candidates(findings);
    out.extend(database_candidates(findings));
    out.extend(api_candidates(findings));
    out.extend(auth_candidates(findings));
    out.extend(versioning_candidates(findings));
    out.extend(data_candidates(findings));
    out.extend(cross_cutting_candidates(findings));
    out
}

/// Proposals for `questionnaire` from findings of one source.
pub fn from_findings(questionnaire: &Questionnaire, findings: &[Finding], source: Source) -> Vec<Proposal> {
    let mut out = Vec::new();
    for c in candidates(findings) {
        let Some(question) = c.questions.iter().find_map(|id| questionnaire.question(id)) else {
            continue;
        };
        let Some(value) = fit(question, &c) else { continue };
        out.push(Proposal {
            question: question.id.clone(),
            value,
            evidence: c.evidence,
            confidence: c.confidence,
            source,
            contradicts: Vec::new(),
        });
    }
    out
}

/// Merges proposals from every source: one per question and value (the most confident),
/// weak ones dropped where a stronger one disagrees, the rest marked as contradicting each
/// other on single-valued questions; in questionnaire order.
pub fn settle(questionnaire: &Questionnaire, mut proposals: Vec<Proposal>) -> Vec<Proposal> {
    proposals.sort_by(|a, b| {
        (
            &a.question,
            answer_text(&a.value).to_lowercase(),
            std::cmp::Reverse(a.confidence),
            a.source,
        )
            .cmp(&(
                &b.question,
                answer_text(&b.value).to_lowercase(),
                std::cmp::Reverse(b.confidence),
                b.source,
            ))
    });
    proposals.dedup_by(|b, a| a.question == b.question && a.value == b.value);
    let mut by_question: BTreeMap<String, Vec<Proposal>> = BTreeMap::new();
    for p in proposals {
        by_question.entry(p.question.clone()).or_default().push(p);
    }
    let mut out = Vec::new();
    for q in questionnaire.questions() {
        let Some(mut group) = by_question.remove(&q.id) else {
            continue;
        };
        let single = !matches!(q.kind, QuestionKind::MultiChoice | QuestionKind::List);
        if single && group.len() > 1 {
            let best = group.iter().map(|p| p.confidence).max().unwrap_or(Confidence::Low);
            if best > Confidence::Low {
                group.retain(|p| p.confidence > Confidence::Low);
            }
            let values: Vec<String> = group.iter().map(Proposal::value_text).collect();
            for p in &mut group {
                let mine = p.value_text();
                p.contradicts = values.iter().filter(|v| **v != mine).cloned().collect();
            }
        }
        group.sort_by(|a, b| b.confidence.cmp(&a.confidence).then(a.source.cmp(&b.source)));
        out.extend(group);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(fact: Fact, strength: Strength) -> Finding {
        Finding::new(fact, strength, Evidence::new("package.json", 3, "x"))
    }

    #[test]
    fn a_declaration_confirmed_by_use_is_high() {
        let d = finding(Fact::Jobs { library: "x".into() }, Strength::Declared);
        let u = finding(Fact::Jobs { library: "x".into() }, Strength::Used);
        let h = finding(Fact::Jobs { library: "x".into() }, Strength::Hint);
        assert_eq!(confidence_of([&d, &u]), Confidence::High);
        assert_eq!(confidence_of([&d]), Confidence::Medium);
        assert_eq!(confidence_of([&h]), Confidence::Low);
    }

    #[test]
    fn a_framework_built_on_another_wins() {
        let findings = vec![
            finding(
                Fact::Framework {
                    name: "Express".into(),
                    language: "Node.js".into(),
                    version: None,
                },
                Strength::Declared,
            ),
            finding(
                Fact::Framework {
                    name: "NestJS".into(),
                    language: "Node.js".into(),
                    version: Some("10".into()),
                },
                Strength::Declared,
            ),
            finding(
                Fact::Language {
                    name: "Node.js".into(),
                    version: Some("20".into()),
                },
                Strength::Declared,
            ),
        ];
        let runtime: Vec<String> = runtime_candidates(&findings).into_iter().map(|c| c.value).collect();
        assert_eq!(runtime, ["Node.js 20 with NestJS 10"]);
    }
}

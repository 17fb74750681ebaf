//! The Quick Start line: a free sentence ("REST API, JWT auth, RBAC, Node.js, no special
//! compliance requirements") mapped onto a questionnaire's options by their texts, common
//! synonyms and the questions' labels; what cannot be placed is said, not guessed.
use serde::Serialize;

use crate::core::answer::Answer;
use crate::core::questionnaire::{Question, QuestionKind, Questionnaire};

/// Words that carry no meaning of their own in an option or a sentence.
const STOP: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "by", "with", "over", "per", "via", "based", "these",
    "this", "only", "e.g", "etc", "all",
];

/// Words a sentence may contain around what it names ("JWT auth", "a Node.js backend").
const FILLER: &[&str] = &[
    "run",
    "use",
    "using",
    "uses",
    "we",
    "our",
    "is",
    "are",
    "be",
    "it",
    "its",
    "auth",
    "authentication",
    "authorization",
    "authz",
    "backend",
    "service",
    "services",
    "app",
    "application",
    "requirement",
    "requirements",
    "special",
    "no",
    "not",
    "without",
    "any",
    "style",
    "model",
    "method",
    "database",
    "db",
    "api",
    "apis",
    "runtime",
    "language",
    "framework",
    "stack",
    "server",
    "built",
    "build",
    "written",
    "on",
    "some",
    "standard",
];

/// Concepts with the words people use for them; an option whose words are a concept's
/// name (or one of its words) answers to all of them.
const CONCEPTS: &[&[&str]] = &[
    &["rest", "restful", "rest api", "json over http", "http json api"],
    &["graphql", "gql"],
    &["grpc", "protobuf", "protocol buffers"],
    &["trpc"],
    &[
        "jwt",
        "jwts",
        "json web token",
        "json web tokens",
        "bearer token",
        "bearer tokens",
    ],
    &[
        "session",
        "sessions",
        "session cookie",
        "session cookies",
        "cookie sessions",
        "cookies",
        "cookie",
    ],
    &[
        "oauth",
        "oauth2",
        "oauth 2",
        "oauth 2.0",
        "oidc",
        "openid",
        "openid connect",
        "sso",
        "single sign on",
    ],
    &["api keys", "api key", "apikey", "apikeys"],
    &["rbac", "role based", "role based access control", "roles", "role"],
    &[
        "abac",
        "attribute based",
        "attribute based access control",
        "policy based access control",
    ],
    &["ownership", "owner", "owners", "resource ownership"],
    &["none", "nothing", "n/a", "not applicable"],
    &["gdpr"],
    &["hipaa"],
    &["soc 2", "soc2", "soc ii"],
    &["pci dss", "pci", "pci-dss"],
    &[
        "url path",
        "path versioning",
        "url versioning",
        "versioned urls",
        "versioned paths",
        "v1",
        "url prefix",
    ],
    &["header", "header versioning", "version header", "accept header"],
    &["query parameter", "query param", "query string versioning"],
    &["cursor", "cursors", "keyset", "cursor pagination"],
    &["offset", "offset pagination", "limit offset"],
    &["page number", "page numbers", "page size", "paged"],
    &["postgresql", "postgres", "pg", "psql"],
    &["mysql"],
    &["mariadb"],
    &["mongodb", "mongo"],
    &["sql server", "mssql"],
    &["dynamodb", "dynamo"],
    &["sqlite"],
    &["modular monolith", "monolith"],
    &["microservices", "microservice", "micro services"],
    &["serverless", "lambda", "lambdas", "cloud functions"],
    &["mvp", "minimum viable product"],
    &["full production", "production ready"],
];

/// Languages and frameworks, for free-text questions about the runtime.
const LANGUAGES: &[(&str, &[&str])] = &[
    (
        "Node.js",
        &["node.js", "node", "nodejs", "typescript", "javascript", "ts", "js"],
    ),
    ("Python", &["python"]),
    ("Go", &["golang", "go"]),
    ("Java", &["java"]),
    ("Kotlin", &["kotlin"]),
    ("Rust", &["rust"]),
    ("Ruby", &["ruby"]),
    ("PHP", &["php"]),
    (".NET", &[".net", "dotnet", "c#", "csharp"]),
    ("Elixir", &["elixir"]),
    ("Scala", &["scala"]),
    ("Deno", &["deno"]),
    ("Bun", &["bun"]),
];

const FRAMEWORKS: &[(&str, &str, &[&str])] = &[
    ("Express", "Node.js", &["express", "express.js", "expressjs"]),
    ("Fastify", "Node.js", &["fastify"]),
    ("NestJS", "Node.js", &["nestjs", "nest.js", "nest"]),
    ("Koa", "Node.js", &["koa"]),
    ("Hono", "Node.js", &["hono"]),
    ("FastAPI", "Python", &["fastapi"]),
    ("Django", "Python", &["django"]),
    ("Flask", "Python", &["flask"]),
    ("gin", "Go", &["gin"]),
    ("chi", "Go", &["chi"]),
    ("Echo", "Go", &["echo"]),
    ("Fiber", "Go", &["fiber"]),
    ("Spring Boot", "Java", &["spring boot", "spring"]),
    ("Quarkus", "Java", &["quarkus"]),
    ("Micronaut", "Java", &["micronaut"]),
    ("Ktor", "Kotlin", &["ktor"]),
    ("axum", "Rust", &["axum"]),
    ("actix-web", "Rust", &["actix", "actix web"]),
    ("Rocket", "Rust", &["rocket"]),
    ("Ruby on Rails", "Ruby", &["rails", "ruby on rails"]),
    ("Sinatra", "Ruby", &["sinatra"]),
    ("Laravel", "PHP", &["laravel"]),
    ("Symfony", "PHP", &["symfony"]),
    ("ASP.NET Core", ".NET", &["asp.net core", "asp.net"]),
    ("Phoenix", "Elixir", &["phoenix"]),
];

const DATABASES: &[(&str, &[&str])] = &[
    ("PostgreSQL", &["postgresql", "postgres", "psql"]),
    ("MySQL", &["mysql"]),
    ("MariaDB", &["mariadb"]),
    ("MongoDB", &["mongodb", "mongo"]),
    ("SQL Server", &["sql server", "mssql"]),
    ("SQLite", &["sqlite"]),
    ("DynamoDB", &["dynamodb"]),
    ("Oracle", &["oracle"]),
    ("CockroachDB", &["cockroachdb"]),
    ("Cassandra", &["cassandra"]),
];

/// One word of a sentence: its normalised text, its original text and its fragment.
#[derive(Debug, Clone)]
struct Token {
    norm: String,
    original: String,
    fragment: usize,
    /// Where the word stands in the text, in characters (start, end).
    span: (usize, usize),
}

/// Splits text into lower-case words (keeping `.`, `#` and `+` inside words: node.js, c#),
/// numbering the comma-, semicolon- or sentence-separated fragment each is in.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut fragment = 0;
    let mut word = String::new();
    let chars: Vec<char> = text.chars().collect();
    let flush = |word: &mut String, out: &mut Vec<Token>, fragment: usize, end: usize| {
        let trimmed = word.trim_matches(|c| c == '.' || c == '+');
        if !trimmed.is_empty() {
            out.push(Token {
                norm: trimmed.to_lowercase(),
                original: trimmed.to_string(),
                fragment,
                span: (end - word.chars().count(), end),
            });
        }
        word.clear();
    };
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        if c.is_alphanumeric() || c == '#' || c == '+' || (c == '.' && next.is_alphanumeric() && !word.is_empty()) {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out, fragment, i);
        if matches!(c, ',' | ';' | '\n' | '!' | '?') || (c == '.' && !next.is_alphanumeric()) {
            fragment += 1;
        }
    }
    flush(&mut word, &mut out, fragment, chars.len());
    out
}

fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.norm).collect()
}

fn same(a: &str, b: &str) -> bool {
    a == b || (a.len() > 3 && b.len() > 3 && a.trim_end_matches('s') == b.trim_end_matches('s'))
}

/// Where `term` occurs in `toks` (start positions).
fn occurrences(toks: &[Token], term: &[String]) -> Vec<usize> {
    if term.is_empty() || term.len() > toks.len() {
        return Vec::new();
    }
    (0..=toks.len() - term.len())
        .filter(|&i| term.iter().enumerate().all(|(j, w)| same(&toks[i + j].norm, w)))
        .collect()
}

/// The words of an option that matter: before any parenthesis or colon, without stop words.
fn core_words(option: &str) -> Vec<String> {
    let head = option.split(['(', ':']).next().unwrap_or(option);
    let all = words(head);
    let core: Vec<String> = all.iter().filter(|w| !STOP.contains(&w.as_str())).cloned().collect();
    if core.is_empty() { all } else { core }
}

/// The concept whose name or a word of which `core` is.
fn concept_of(core: &[String]) -> Option<&'static [&'static str]> {
    let joined = core.join(" ");
    CONCEPTS
        .iter()
        .find(|c| c.iter().any(|s| words(s).join(" ") == joined))
        .copied()
}

/// Every phrase that names `option`: its text, its core words, and its concept's words.
fn option_terms(option: &str) -> Vec<Vec<String>> {
    let mut terms = vec![words(option)];
    let core = core_words(option);
    if let Some(concept) = concept_of(&core) {
        terms.extend(concept.iter().map(|s| words(s)));
    }
    terms.push(core);
    terms.retain(|t| !t.is_empty());
    terms.sort();
    terms.dedup();
    terms
}

/// Options made of several concepts ("REST and GraphQL"): their concepts, when each core word is one.
fn compound(option: &str) -> Option<Vec<&'static [&'static str]>> {
    let core = core_words(option);
    if core.len() < 2 {
        return None;
    }
    core.iter().map(|w| concept_of(std::slice::from_ref(w))).collect()
}

/// The option of `question` that `text` names (its text, its core words or a synonym), the
/// longest match winning; `None` when no option is named.
pub fn option_for<'q>(question: &'q Question, text: &str) -> Option<&'q str> {
    let toks = tokens(text);
    question
        .options
        .iter()
        .filter_map(|o| {
            let best = option_terms(o)
                .iter()
                .filter(|t| !occurrences(&toks, t).is_empty())
                .map(Vec::len)
                .max()?;
            Some((best, o.as_str()))
        })
        .max_by_key(|(len, o)| (*len, std::cmp::Reverse(o.len())))
        .map(|(_, o)| o)
}

/// What the line placed on one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub question: String,
    pub label: String,
    pub value: Answer,
    /// The words of the line it came from.
    pub from: Vec<String>,
}

/// What a Quick Start line was understood to say.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reading {
    pub placed: Vec<Placement>,
    /// Parts of the line that name nothing the questionnaire asks, or could mean several questions.
    pub unplaced: Vec<String>,
}

#[derive(Debug, Clone)]
struct Match {
    question: usize,
    value: String,
    start: usize,
    end: usize,
}

/// The meaningful words of a question's label (or prompt), to recognise it in a sentence.
fn label_words(question: &Question) -> Vec<String> {
    const GENERIC: &[&str] = &[
        "method", "model", "style", "type", "kind", "name", "what", "which", "how", "does", "do", "apply", "is", "are",
    ];
    words(&question.label)
        .into_iter()
        .filter(|w| !STOP.contains(&w.as_str()) && !GENERIC.contains(&w.as_str()) && w.len() > 2)
        .collect()
}

fn mentions(toks: &[Token], fragment: usize, question: &Question) -> bool {
    let label = label_words(question);
    toks.iter()
        .filter(|t| t.fragment == fragment)
        .any(|t| label.iter().any(|w| same(&t.norm, w)))
}

/// Free-text questions this line can fill from its vocabulary: the runtime, the database
/// and the list of integrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vocabulary {
    Runtime,
    Database,
}

fn vocabulary(question: &Question) -> Option<Vocabulary> {
    if !matches!(question.kind, QuestionKind::Text | QuestionKind::Multiline) {
        return None;
    }
    let text = format!("{} {}", question.id, question.label).to_lowercase();
    if text.contains("runtime") || text.contains("language") || text.contains("framework") {
        Some(Vocabulary::Runtime)
    } else if text.contains("database") || text.contains("primary store") {
        Some(Vocabulary::Database)
    } else {
        None
    }
}

/// A number right after position `end` (`Node.js 22`, `PostgreSQL 16`).
fn version_after(toks: &[Token], end: usize) -> Option<String> {
    toks.get(end)
        .filter(|t| {
            t.norm.chars().next().is_some_and(|c| c.is_ascii_digit())
                && t.norm.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .map(|t| t.original.clone())
}

/// Maps `sentence` onto `questionnaire`: the options it names (by their text, their words or
/// common synonyms), "no …" phrases that name a question with a "none" option, and runtime
/// and database names for free-text questions about them.
pub fn understand(questionnaire: &Questionnaire, sentence: &str) -> Reading {
    let toks = tokens(sentence);
    let questions: Vec<&Question> = questionnaire.questions().collect();
    let mut matches: Vec<Match> = Vec::new();
    for (qi, q) in questions.iter().enumerate() {
        match q.kind {
            QuestionKind::Choice | QuestionKind::MultiChoice => {
                for option in &q.options {
                    for term in option_terms(option) {
                        for start in occurrences(&toks, &term) {
                            matches.push(Match {
                                question: qi,
                                value: option.clone(),
                                start,
                                end: start + term.len(),
                            });
                        }
                    }
                }
            }
            _ => {
                let Some(v) = vocabulary(q) else { continue };
                let names: Vec<(&str, &[&str])> = match v {
                    Vocabulary::Runtime => LANGUAGES
                        .iter()
                        .copied()
                        .chain(FRAMEWORKS.iter().map(|(n, _, w)| (*n, *w)))
                        .collect(),
                    Vocabulary::Database => DATABASES.to_vec(),
                };
                for (name, synonyms) in names {
                    for s in synonyms {
                        let term = words(s);
                        for start in occurrences(&toks, &term) {
                            // "go" is a verb too: only the capitalised word names the language.
                            if *s == "go" && toks[start].original != "Go" {
                                continue;
                            }
                            matches.push(Match {
                                question: qi,
                                value: name.to_string(),
                                start,
                                end: start + term.len(),
                            });
                        }
                    }
                }
            }
        }
    }
    // Longest first; a span taken by a longer match is not matched again by a shorter one
    // for another question.
    matches.sort_by_key(|m| (std::cmp::Reverse(m.end - m.start), m.start));
    let mut taken: Vec<(usize, usize, usize)> = Vec::new();
    let mut kept: Vec<Match> = Vec::new();
    let mut unplaced: Vec<String> = Vec::new();
    let mut i = 0;
    while i < matches.len() {
        let m = &matches[i];
        let same_span: Vec<&Match> = matches
            .iter()
            .filter(|o| o.start == m.start && o.end == m.end)
            .collect();
        i += 1;
        if taken
            .iter()
            .any(|(s, e, q)| m.start < *e && *s < m.end && (*q != m.question || (*s, *e) != (m.start, m.end)))
        {
            continue;
        }
        let mut qs: Vec<usize> = same_span.iter().map(|o| o.question).collect();
        qs.sort_unstable();
        qs.dedup();
        let chosen = if qs.len() == 1 {
            Some(qs[0])
        } else {
            // An option named exactly beats a free-text question that merely could take the word.
            let with_options: Vec<usize> = qs
                .iter()
                .copied()
                .filter(|q| !questions[*q].options.is_empty())
                .collect();
            let pool = if with_options.is_empty() {
                qs.clone()
            } else {
                with_options
            };
            let named: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|q| mentions(&toks, toks[m.start].fragment, questions[*q]))
                .collect();
            match (pool.len(), named.len()) {
                (1, _) => Some(pool[0]),
                (_, 1) => Some(named[0]),
                _ => None,
            }
        };
        match chosen {
            Some(q) if q == m.question => {
                taken.push((m.start, m.end, q));
                kept.push(m.clone());
            }
            Some(_) => {}
            None => {
                let phrase = phrase(&toks, m.start, m.end);
                let labels: Vec<&str> = qs.iter().map(|q| questions[*q].label.as_str()).collect();
                let note = format!("\"{phrase}\" could answer {}", labels.join(" or "));
                if !unplaced.contains(&note) {
                    unplaced.push(note);
                }
                taken.push((m.start, m.end, usize::MAX));
            }
        }
    }
    negations(&toks, &questions, &mut taken, &mut kept);
    let mut placed: Vec<Placement> = Vec::new();
    for (qi, q) in questions.iter().enumerate() {
        let mut mine: Vec<&Match> = kept.iter().filter(|m| m.question == qi).collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|m| m.start);
        let from: Vec<String> = mine.iter().map(|m| phrase(&toks, m.start, m.end)).collect();
        let mut values: Vec<String> = Vec::new();
        for m in &mine {
            if !values.contains(&m.value) {
                values.push(m.value.clone());
            }
        }
        let value = match q.kind {
            QuestionKind::MultiChoice => Answer::List(values),
            QuestionKind::Choice => Answer::Text(choose_one(q, &values)),
            _ => Answer::Text(compose_runtime(&toks, &mine, vocabulary(q))),
        };
        placed.push(Placement {
            question: q.id.clone(),
            label: q.label.clone(),
            value,
            from,
        });
    }
    for fragment in 0..=toks.last().map_or(0, |t| t.fragment) {
        let positions: Vec<usize> = (0..toks.len()).filter(|&i| toks[i].fragment == fragment).collect();
        if positions.is_empty()
            || positions
                .iter()
                .any(|&i| taken.iter().any(|(s, e, _)| *s <= i && i < *e))
        {
            continue;
        }
        if positions
            .iter()
            .all(|&i| FILLER.contains(&toks[i].norm.as_str()) || STOP.contains(&toks[i].norm.as_str()))
        {
            continue;
        }
        // The fragment as it was typed ("blue-green deploys"), not re-spelled from its words.
        let (from, to) = (toks[positions[0]].span.0, toks[positions[positions.len() - 1]].span.1);
        unplaced.push(sentence.chars().skip(from).take(to - from).collect());
    }
    Reading { placed, unplaced }
}

/// "no special compliance requirements": a negation in a fragment that names a question with a
/// "none" option answers it with that option.
fn negations(toks: &[Token], questions: &[&Question], taken: &mut Vec<(usize, usize, usize)>, kept: &mut Vec<Match>) {
    let last = toks.last().map_or(0, |t| t.fragment);
    for fragment in 0..=last {
        let positions: Vec<usize> = (0..toks.len()).filter(|&i| toks[i].fragment == fragment).collect();
        let Some(&negator) = positions
            .iter()
            .find(|&&i| matches!(toks[i].norm.as_str(), "no" | "without" | "not" | "none"))
        else {
            continue;
        };
        for (qi, q) in questions.iter().enumerate() {
            let Some(none) = q.options.iter().find(|o| {
                let core = core_words(o);
                core.first().is_some_and(|w| w == "none" || w == "no")
            }) else {
                continue;
            };
            if !mentions(toks, fragment, q)
                || kept
                    .iter()
                    .any(|m| m.question == qi && toks[m.start].fragment == fragment)
            {
                continue;
            }
            let (start, end) = (negator, positions.last().map_or(negator, |l| l + 1));
            taken.push((start, end, qi));
            kept.push(Match {
                question: qi,
                value: none.clone(),
                start,
                end,
            });
        }
    }
}

/// The option a single choice gets: a compound option ("REST and GraphQL") when every part
/// of it was named, else the first named.
fn choose_one(question: &Question, named: &[String]) -> String {
    let named_concepts: Vec<&'static [&'static str]> =
        named.iter().filter_map(|n| concept_of(&core_words(n))).collect();
    for option in &question.options {
        if let Some(parts) = compound(option)
            && parts
                .iter()
                .all(|p| named_concepts.iter().any(|n| std::ptr::eq(*n, *p)))
            && parts.len() <= named_concepts.len()
        {
            return option.clone();
        }
    }
    named.first().cloned().unwrap_or_default()
}

/// `Python with FastAPI`, `Node.js 22 with Express`: a language (its version if given) and
/// the frameworks named; a framework alone brings its language.
fn compose_runtime(toks: &[Token], matches: &[&Match], vocabulary: Option<Vocabulary>) -> String {
    let mut names: Vec<String> = Vec::new();
    for m in matches {
        let with_version = match version_after(toks, m.end) {
            Some(v) => format!("{} {v}", m.value),
            None => m.value.clone(),
        };
        if !names.iter().any(|n| n.starts_with(&m.value)) {
            names.push(with_version);
        }
    }
    if vocabulary != Some(Vocabulary::Runtime) {
        return names.join(", ");
    }
    let is_language = |n: &str| {
        LANGUAGES
            .iter()
            .any(|(l, _)| n == *l || n.starts_with(&format!("{l} ")))
    };
    let mut languages: Vec<String> = names.iter().filter(|n| is_language(n)).cloned().collect();
    let frameworks: Vec<String> = names.iter().filter(|n| !is_language(n)).cloned().collect();
    for f in &frameworks {
        if let Some((_, language, _)) = FRAMEWORKS.iter().find(|(name, ..)| f.starts_with(name))
            && !languages.iter().any(|l| l.starts_with(language))
        {
            languages.push((*language).to_string());
        }
    }
    match (languages.is_empty(), frameworks.is_empty()) {
        (false, false) => format!("{} with {}", languages.join(" and "), frameworks.join(" and ")),
        (false, true) => languages.join(" and "),
        _ => frameworks.join(" and "),
    }
}

fn phrase(toks: &[Token], start: usize, end: usize) -> String {
    toks[start..end.min(toks.len())]
        .iter()
        .map(|t| t.original.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::questionnaire::{BUILTIN, parse};
    use std::path::Path;

    fn builtin(id: &str) -> Questionnaire {
        let (path, text) = BUILTIN.iter().find(|(p, _)| p.contains(id)).copied().unwrap();
        parse(Path::new(path), text).unwrap()
    }

    fn placed(r: &Reading, id: &str) -> Option<Answer> {
        r.placed.iter().find(|p| p.question == id).map(|p| p.value.clone())
    }

    #[test]
    fn the_seed_line_fills_the_five_required_inputs() {
        let q = builtin("d04-backend-architecture");
        let r = understand(
            &q,
            "REST API, JWT auth, RBAC, Node.js, no special compliance requirements",
        );
        assert_eq!(placed(&r, "api_style"), Some(Answer::Text("REST".into())));
        assert_eq!(placed(&r, "auth_method"), Some(Answer::List(vec!["JWT".into()])));
        assert_eq!(placed(&r, "authz_model"), Some(Answer::Text("RBAC".into())));
        assert_eq!(placed(&r, "runtime"), Some(Answer::Text("Node.js".into())));
        assert_eq!(placed(&r, "compliance"), Some(Answer::List(vec!["none".into()])));
        assert!(r.unplaced.is_empty(), "{:?}", r.unplaced);
    }

    #[test]
    fn the_second_seed_line_names_the_runtime_and_oauth() {
        let q = builtin("d04-backend-architecture");
        let r = understand(
            &q,
            "Run 104 for a Python FastAPI backend with OAuth2 and row-level security.",
        );
        assert_eq!(placed(&r, "runtime"), Some(Answer::Text("Python with FastAPI".into())));
        assert_eq!(placed(&r, "auth_method"), Some(Answer::List(vec!["OAuth".into()])));
    }

    #[test]
    fn synonyms_versions_and_several_choices() {
        let q = builtin("d04-backend-architecture");
        let r = understand(
            &q,
            "GraphQL; sessions and API keys; attribute-based access; Go 1.22 with chi on Postgres 16; GDPR and SOC2",
        );
        assert_eq!(placed(&r, "api_style"), Some(Answer::Text("GraphQL".into())));
        assert_eq!(
            placed(&r, "auth_method"),
            Some(Answer::List(vec!["session".into(), "API keys".into()]))
        );
        assert_eq!(placed(&r, "authz_model"), Some(Answer::Text("ABAC".into())));
        assert_eq!(placed(&r, "runtime"), Some(Answer::Text("Go 1.22 with chi".into())));
        assert_eq!(placed(&r, "database"), Some(Answer::Text("PostgreSQL 16".into())));
        assert_eq!(
            placed(&r, "compliance"),
            Some(Answer::List(vec!["GDPR".into(), "SOC 2".into()]))
        );
    }

    #[test]
    fn what_names_nothing_is_reported_not_guessed() {
        let q = builtin("d04-backend-architecture");
        let r = understand(&q, "gRPC, blue-green deploys, Kotlin");
        assert_eq!(placed(&r, "api_style"), Some(Answer::Text("gRPC".into())));
        assert_eq!(placed(&r, "runtime"), Some(Answer::Text("Kotlin".into())));
        assert_eq!(r.unplaced, ["blue-green deploys"]);
        assert!(understand(&q, "").placed.is_empty());
        assert!(understand(&q, "let us go with whatever").placed.is_empty());
    }

    #[test]
    fn every_builtin_questionnaire_takes_a_line() {
        for (path, _) in BUILTIN {
            let q = builtin(path.rsplit('/').next().unwrap().trim_end_matches(".toml"));
            let r = understand(
                &q,
                "REST API, JWT auth, RBAC, Node.js, no special compliance requirements",
            );
            for p in &r.placed {
                let question = q.question(&p.question).unwrap();
                if let Answer::Text(v) = &p.value
                    && question.kind == QuestionKind::Choice
                {
                    assert!(question.options.contains(v) || question.other, "{path}: {v}");
                }
            }
        }
        let design = builtin("backend-design");
        let r = understand(&design, "REST and GraphQL on Postgres, an MVP");
        assert_eq!(placed(&r, "api_style"), Some(Answer::Text("REST and GraphQL".into())));
        assert_eq!(placed(&r, "database"), Some(Answer::Text("PostgreSQL".into())), "{r:?}");
        assert_eq!(placed(&r, "release_mode"), Some(Answer::Text("MVP".into())));
        let proposal = builtin("backend-architecture-proposal");
        let r = understand(
            &proposal,
            "a modular monolith on MySQL, no compliance regime, no heavyweight techniques",
        );
        assert_eq!(placed(&r, "pattern"), Some(Answer::Text("modular monolith".into())));
        assert_eq!(placed(&r, "primary_store"), Some(Answer::Text("MySQL".into())), "{r:?}");
        assert_eq!(placed(&r, "compliance"), Some(Answer::List(vec!["none".into()])));
        assert_eq!(
            placed(&r, "heavy_tech"),
            Some(Answer::List(vec!["none of these".into()]))
        );
    }

    #[test]
    fn options_are_found_by_their_words() {
        let q = builtin("d04-backend-architecture");
        let versioning = q.question("versioning").unwrap();
        assert_eq!(option_for(versioning, "URL path"), Some("URL path (/v1/...)"));
        let auth = q.question("auth_method").unwrap();
        assert_eq!(option_for(auth, "session"), Some("session"));
        assert_eq!(option_for(auth, "OAuth2"), Some("OAuth"));
        assert_eq!(option_for(auth, "passwords"), None);
    }
}

//! Rust: Cargo.toml (dependencies with their features, renamed packages, workspaces) and
//! Cargo.lock, `use` lines, and routes of axum, actix-web, Rocket and poem.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Rust";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["rs"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "Cargo.toml" | "Cargo.lock" | "rust-toolchain.toml" | "rust-toolchain" | "diesel.toml"
    )
}

pub static LIBRARIES: &[Library] = &[
    lib(&["axum"], &[K::Framework("axum")]),
    lib(&["actix-web"], &[K::Framework("actix-web")]),
    lib(&["rocket"], &[K::Framework("Rocket")]),
    lib(&["warp"], &[K::Framework("warp")]),
    lib(&["poem", "poem-openapi"], &[K::Framework("Poem")]),
    lib(&["salvo"], &[K::Framework("Salvo")]),
    lib(&["tide"], &[K::Framework("Tide")]),
    lib(&["loco-rs"], &[K::Framework("Loco")]),
    lib(
        &["tokio-postgres", "postgres", "deadpool-postgres", "bb8-postgres"],
        &[K::Database("PostgreSQL"), K::Data("tokio-postgres", D::Driver)],
    ),
    lib(&["mysql-async", "mysql"], &[K::Database("MySQL")]),
    lib(
        &["mongodb"],
        &[K::Database("MongoDB"), K::Data("MongoDB driver", D::Driver)],
    ),
    lib(&["rusqlite"], &[K::Database("SQLite")]),
    lib(&["tiberius"], &[K::Database("SQL Server")]),
    lib(&["aws-sdk-dynamodb"], &[K::Database("DynamoDB")]),
    lib(&["scylla"], &[K::Database("ScyllaDB")]),
    lib(&["redis", "deadpool-redis", "fred", "bb8-redis"], &[K::Queue("Redis")]),
    lib(&["lapin"], &[K::Queue("RabbitMQ")]),
    lib(&["rdkafka"], &[K::Queue("Kafka")]),
    lib(&["async-nats"], &[K::Queue("NATS")]),
    lib(&["aws-sdk-sqs"], &[K::Queue("Amazon SQS")]),
    lib(&["sqlx"], &[K::Data("sqlx", D::Driver)]),
    lib(&["diesel"], &[K::Data("Diesel", D::Orm)]),
    lib(
        &["diesel-migrations", "diesel_migrations"],
        &[K::Migrations("Diesel migrations")],
    ),
    lib(&["sea-orm"], &[K::Data("SeaORM", D::Orm)]),
    lib(&["sea-orm-migration"], &[K::Migrations("SeaORM migrations")]),
    lib(&["sea-query"], &[K::Data("SeaQuery", D::QueryBuilder)]),
    lib(&["refinery"], &[K::Migrations("refinery")]),
    lib(
        &[
            "jsonwebtoken",
            "jwt-simple",
            "josekit",
            "jwt",
            "axum-jwt-auth",
            "actix-web-httpauth",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &[
            "tower-sessions",
            "axum-sessions",
            "actix-session",
            "async-session",
            "axum-login",
        ],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(&["oauth2", "openidconnect"], &[K::Auth(A::OAuth, "OAuth")]),
    lib(
        &["casbin", "axum-casbin", "actix-casbin"],
        &[K::Authz(Z::Rbac, "Casbin")],
    ),
    lib(&["oso"], &[K::Authz(Z::Rbac, "Oso")]),
    lib(&["cedar-policy"], &[K::Authz(Z::Abac, "Cedar")]),
    lib(
        &["async-graphql", "async-graphql-axum", "juniper"],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(&["tonic", "prost"], &[K::Api(ApiStyle::Grpc, "gRPC")]),
    lib(
        &["utoipa", "aide", "paperclip", "okapi", "rocket-okapi"],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["apalis"], &[K::Jobs("Apalis")]),
    lib(&["fang"], &[K::Jobs("fang")]),
    lib(&["tokio-cron-scheduler"], &[K::Jobs("cron schedules")]),
    lib(
        &["tower-governor", "tower_governor", "governor", "actix-governor"],
        &[K::RateLimit("governor rate limiter")],
    ),
    lib(&["actix-cors"], &[K::Cors("actix-cors")]),
    lib(&["tracing", "tracing-subscriber"], &[K::Logging("tracing")]),
    lib(&["env-logger", "slog", "log4rs"], &[K::Logging("log")]),
    lib(
        &["opentelemetry*", "tracing-opentelemetry"],
        &[K::Tracing("OpenTelemetry")],
    ),
    lib(&["sentry"], &[K::Tracing("Sentry")]),
    lib(
        &["prometheus", "metrics-exporter-prometheus", "axum-prometheus"],
        &[K::Metrics("Prometheus")],
    ),
];

fn normalise(name: &str) -> String {
    name.replace('_', "-")
}

/// The facts a dependency's features add: the database behind sqlx, Diesel or `SeaORM`, and
/// the middleware tower-http is built with.
fn feature_facts(name: &str, features: &[String]) -> Vec<Fact> {
    let mut out = Vec::new();
    let has = |f: &str| features.iter().any(|x| x == f || x.ends_with(&format!("-{f}")));
    if matches!(name, "sqlx" | "diesel" | "sea-orm" | "sea-query") {
        for (feature, engine) in [("postgres", "PostgreSQL"), ("mysql", "MySQL"), ("sqlite", "SQLite")] {
            if has(feature) {
                out.push(Fact::Database {
                    engine: engine.into(),
                    version: None,
                });
            }
        }
    }
    if name == "tower-http" {
        if has("cors") {
            out.push(Fact::Cors {
                library: "tower-http CorsLayer".into(),
            });
        }
        if has("request-id") {
            out.push(Fact::RequestId {
                library: "tower-http request-id layers".into(),
            });
        }
    }
    out
}

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    match file.name() {
        "Cargo.toml" => cargo_toml(file, out),
        "diesel.toml" => out.push(Finding::new(
            Fact::Migrations {
                tool: "Diesel migrations".into(),
                folder: None,
            },
            Strength::Configured,
            file.evidence_at("migrations"),
        )),
        "rust-toolchain.toml" | "rust-toolchain" => {
            if let Some((n, line)) = file
                .lines()
                .find(|(_, l)| l.contains("channel") || l.trim().starts_with(|c: char| c.is_ascii_digit()))
                && let Some(v) = language_version(line)
            {
                out.push(Finding::new(
                    Fact::Language {
                        name: LANGUAGE.into(),
                        version: Some(v),
                    },
                    Strength::Hint,
                    file.evidence(n, line),
                ));
            }
        }
        _ => {}
    }
}

fn cargo_toml(file: &SourceFile, out: &mut Vec<Finding>) {
    let Ok(doc) = file.text.parse::<toml::Table>() else {
        return;
    };
    let mut tables: Vec<(Option<&toml::Value>, Strength)> = vec![
        (doc.get("dependencies"), Strength::Declared),
        (doc.get("dev-dependencies"), Strength::Hint),
        (
            doc.get("workspace").and_then(|w| w.get("dependencies")),
            Strength::Declared,
        ),
    ];
    if let Some(targets) = doc.get("target").and_then(toml::Value::as_table) {
        for t in targets.values() {
            tables.push((t.get("dependencies"), Strength::Declared));
        }
    }
    let tables: Vec<(&toml::Table, Strength)> = tables
        .into_iter()
        .filter_map(|(t, s)| t.and_then(toml::Value::as_table).map(|t| (t, s)))
        .collect();
    let mut backend = None;
    for (table, strength) in tables {
        for (key, spec) in table {
            let package = spec.get("package").and_then(toml::Value::as_str).unwrap_or(key);
            let name = normalise(package);
            let (n, line) = dependency_line(file, key);
            let evidence = file.evidence(n, line);
            if let Some(service) = integration(&name) {
                out.push(Finding::new(
                    Fact::Integration { name: service.into() },
                    strength,
                    evidence.clone(),
                ));
            }
            let features: Vec<String> = spec
                .get("features")
                .and_then(toml::Value::as_array)
                .map(|a| a.iter().filter_map(toml::Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            for fact in feature_facts(&name, &features) {
                out.push(Finding::new(fact, strength, evidence.clone()));
            }
            let Some(library) = lookup(LIBRARIES, &name) else {
                continue;
            };
            let version = spec
                .as_str()
                .or_else(|| spec.get("version").and_then(toml::Value::as_str));
            for known in library.facts {
                let mut fact = known.fact(LANGUAGE, &name);
                if let Fact::Framework { version: v, .. } = &mut fact {
                    *v = version.and_then(short_version);
                }
                if known.is_backend()
                    && strength == Strength::Declared
                    && (backend.is_none() || matches!(known, K::Framework(_)))
                {
                    backend = Some((n, line));
                }
                out.push(Finding::new(fact, strength, evidence.clone()));
            }
        }
    }
    if let Some((n, line)) = backend {
        let declared = doc
            .get("package")
            .and_then(|p| p.get("rust-version"))
            .and_then(toml::Value::as_str)
            .and_then(language_version);
        let evidence = match (&declared, file.line_of("rust-version")) {
            (Some(_), Some((vn, vl))) => file.evidence(vn, vl),
            _ => file.evidence(n, line),
        };
        out.push(Finding::new(
            Fact::Language {
                name: LANGUAGE.into(),
                version: declared,
            },
            Strength::Declared,
            evidence,
        ));
    }
}

/// The line declaring dependency `key`: `key = …`, `key.workspace = true` or `[….key]`.
fn dependency_line<'a>(file: &SourceFile<'a>, key: &str) -> (u32, &'a str) {
    file.lines()
        .find(|(_, l)| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('=') || rest.starts_with(".workspace"))
                || (t.starts_with('[') && t.trim_end().ends_with(&format!(".{key}]")))
        })
        .unwrap_or((1, ""))
}

static USE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:use|extern crate)\s+:*(\w+)").ok());
static AXUM_ROUTE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"\.route\(\s*"(/[^"]*)"\s*,(.*)"#).ok());
static METHOD_CALL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(get|post|put|patch|delete)\s*\(").ok());
static ATTRIBUTE_ROUTE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"#\[\s*(get|post|put|patch|delete)\(\s*"(/[^"]*)""#).ok());
static SCOPE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?:\.nest|web::scope|\.nest_service|Scope::new)\(\s*"(/[^"]*)""#).ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(use_re), Some(axum), Some(method), Some(attribute), Some(scope)) = (
        USE.as_ref(),
        AXUM_ROUTE.as_ref(),
        METHOD_CALL.as_ref(),
        ATTRIBUTE_ROUTE.as_ref(),
        SCOPE.as_ref(),
    ) else {
        return;
    };
    for (n, line) in file.lines() {
        if let Some(cap) = use_re.captures(line) {
            let krate = normalise(&cap[1]);
            if !matches!(krate.as_str(), "crate" | "self" | "super" | "std" | "core" | "alloc") {
                out.extend(findings_for(
                    LIBRARIES,
                    LANGUAGE,
                    &krate,
                    Strength::Used,
                    &file.evidence(n, line),
                ));
            }
            continue;
        }
        if let Some(cap) = axum.captures(line) {
            let methods: Vec<String> = method.captures_iter(&cap[2]).map(|m| m[1].to_string()).collect();
            if methods.is_empty() {
                config::endpoint("ANY", &cap[1], file.evidence(n, line), out);
            }
            for m in methods {
                config::endpoint(&m, &cap[1], file.evidence(n, line), out);
            }
        }
        if let Some(cap) = attribute.captures(line) {
            config::endpoint(&cap[1], &cap[2], file.evidence(n, line), out);
        }
        if let Some(cap) = scope.captures(line) {
            config::version_prefix(&cap[1], file.evidence(n, line), out);
        }
        let marker = if line.contains("sqlx::migrate!") {
            Some(Fact::Migrations {
                tool: "sqlx migrations".into(),
                folder: None,
            })
        } else if line.contains("SetRequestIdLayer") || line.contains("PropagateRequestIdLayer") {
            Some(Fact::RequestId {
                library: "tower-http request-id layers".into(),
            })
        } else if line.contains("CorsLayer") {
            Some(Fact::Cors {
                library: "tower-http CorsLayer".into(),
            })
        } else if line.contains("GovernorLayer") {
            Some(Fact::RateLimit {
                library: "governor rate limiter".into(),
            })
        } else {
            None
        };
        if let Some(fact) = marker {
            out.push(Finding::new(fact, Strength::Used, file.evidence(n, line)));
        }
    }
    config::markers(file, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_name_the_database_and_middleware() {
        let mut out = Vec::new();
        cargo_toml(
            &SourceFile::new(
                "Cargo.toml",
                "[package]\nname = \"x\"\nrust-version = \"1.80\"\n\n[dependencies]\naxum = \"0.7\"\nsqlx = { version = \"0.8\", features = [\"runtime-tokio\", \"postgres\"] }\ntower-http = { version = \"0.5\", features = [\"cors\", \"request-id\"] }\n",
            ),
            &mut out,
        );
        let has = |f: &Fact| out.iter().any(|x| &x.fact == f);
        assert!(has(&Fact::Framework {
            name: "axum".into(),
            language: "Rust".into(),
            version: Some("0.7".into())
        }));
        assert!(has(&Fact::Database {
            engine: "PostgreSQL".into(),
            version: None
        }));
        assert!(has(&Fact::Cors {
            library: "tower-http CorsLayer".into()
        }));
        assert!(has(&Fact::Language {
            name: "Rust".into(),
            version: Some("1.80".into())
        }));
    }

    #[test]
    fn axum_routes_list_each_method() {
        let mut out = Vec::new();
        source(
            &SourceFile::new("src/main.rs", "    .route(\"/v1/todos\", get(list).post(create))\n"),
            &mut out,
        );
        let methods: Vec<_> = out
            .iter()
            .filter_map(|f| match &f.fact {
                Fact::Endpoint { method, .. } => Some(method.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(methods, ["GET", "POST"]);
    }
}

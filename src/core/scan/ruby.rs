//! Ruby: Gemfile (groups, the ruby version), version files, database.yml, Rails routes.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Ruby";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["rb"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "Gemfile" | "Gemfile.lock" | ".ruby-version" | "database.yml" | "gems.rb"
    )
}

pub static LIBRARIES: &[Library] = &[
    lib(
        &["rails", "railties", "actionpack"],
        &[K::Framework("Ruby on Rails"), K::Data("Active Record", D::ActiveRecord)],
    ),
    lib(&["sinatra"], &[K::Framework("Sinatra")]),
    lib(&["hanami"], &[K::Framework("Hanami")]),
    lib(&["roda"], &[K::Framework("Roda")]),
    lib(&["grape"], &[K::Framework("Grape"), K::Api(ApiStyle::Rest, "Grape")]),
    lib(&["pg"], &[K::Database("PostgreSQL")]),
    lib(&["mysql2", "trilogy"], &[K::Database("MySQL")]),
    lib(&["sqlite3"], &[K::Database("SQLite")]),
    lib(
        &["mongoid"],
        &[K::Database("MongoDB"), K::Data("Mongoid", D::ActiveRecord)],
    ),
    lib(&["sequel"], &[K::Data("Sequel", D::QueryBuilder)]),
    lib(&["rom-rb", "rom"], &[K::Data("ROM", D::Orm)]),
    lib(&["redis", "redis-client"], &[K::Queue("Redis")]),
    lib(&["bunny", "sneakers"], &[K::Queue("RabbitMQ")]),
    lib(&["ruby-kafka", "rdkafka", "karafka"], &[K::Queue("Kafka")]),
    lib(&["sidekiq"], &[K::Jobs("Sidekiq"), K::Queue("Redis")]),
    lib(&["good_job"], &[K::Jobs("GoodJob")]),
    lib(&["solid_queue"], &[K::Jobs("Solid Queue")]),
    lib(&["delayed_job", "delayed_job_active_record"], &[K::Jobs("Delayed Job")]),
    lib(&["resque"], &[K::Jobs("Resque"), K::Queue("Redis")]),
    lib(&["whenever", "sidekiq-cron"], &[K::Jobs("cron schedules")]),
    lib(&["devise"], &[K::Auth(A::Session, "sessions")]),
    lib(
        &["jwt", "devise-jwt", "knock", "jwt_sessions"],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &["omniauth*", "doorkeeper", "openid_connect"],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(&["pundit", "action_policy"], &[K::Authz(Z::Abac, "policy objects")]),
    lib(
        &["cancancan", "cancan", "rolify"],
        &[K::Authz(Z::Rbac, "abilities by role")],
    ),
    lib(&["graphql"], &[K::Api(ApiStyle::GraphQl, "GraphQL server")]),
    lib(&["grpc"], &[K::Api(ApiStyle::Grpc, "gRPC")]),
    lib(
        &["rswag", "rswag-api", "grape-swagger"],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["rack-attack"], &[K::RateLimit("Rack::Attack")]),
    lib(&["rack-cors"], &[K::Cors("rack-cors")]),
    lib(
        &["lograge", "semantic_logger", "rails_semantic_logger"],
        &[K::Logging("structured request logs")],
    ),
    lib(&["opentelemetry-*"], &[K::Tracing("OpenTelemetry")]),
    lib(&["sentry-ruby", "sentry-rails"], &[K::Tracing("Sentry")]),
    lib(&["ddtrace", "datadog"], &[K::Tracing("Datadog APM")]),
    lib(&["prometheus-client", "yabeda-prometheus"], &[K::Metrics("Prometheus")]),
];

static GEM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*gem\s+['"]([\w.-]+)['"](?:\s*,\s*['"]([^'"]+)['"])?"#).ok());
static RUBY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"^\s*ruby\s+['"]([\d.]+)"#).ok());

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    match file.name() {
        ".ruby-version" => {
            if let Some((n, l)) = file.lines().next()
                && let Some(v) = language_version(l)
            {
                out.push(Finding::new(
                    Fact::Language {
                        name: LANGUAGE.into(),
                        version: Some(v),
                    },
                    Strength::Hint,
                    file.evidence(n, l),
                ));
            }
        }
        "database.yml" => config::connection_urls(file, out),
        "Gemfile" | "gems.rb" => gemfile(file, out),
        _ => {}
    }
}

fn gemfile(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(gem), Some(ruby)) = (GEM.as_ref(), RUBY.as_ref()) else {
        return;
    };
    let mut dev_group = 0usize;
    let mut version = None;
    let mut backend = None;
    for (n, line) in file.lines() {
        let t = line.trim();
        if t.starts_with("group ") && t.ends_with(" do") {
            dev_group += usize::from(!t.contains(":production"));
            continue;
        }
        if t == "end" && dev_group > 0 {
            dev_group -= 1;
            continue;
        }
        if let Some(cap) = ruby.captures(line) {
            version = language_version(&cap[1]).map(|v| (v, n, line));
            continue;
        }
        let Some(cap) = gem.captures(line) else { continue };
        let strength = if dev_group > 0 {
            Strength::Hint
        } else {
            Strength::Declared
        };
        let evidence = file.evidence(n, line);
        if let Some(service) = integration(&cap[1]) {
            out.push(Finding::new(
                Fact::Integration { name: service.into() },
                strength,
                evidence.clone(),
            ));
        }
        let Some(library) = lookup(LIBRARIES, &cap[1]) else {
            continue;
        };
        for known in library.facts {
            let mut fact = known.fact(LANGUAGE, &cap[1]);
            if let Fact::Framework { version: v, .. } = &mut fact {
                *v = cap.get(2).and_then(|m| short_version(m.as_str()));
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
    if let Some(at) = backend {
        out.push(file.language(LANGUAGE, at, version));
    }
}

static REQUIRE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"^\s*require\s+['"]([\w/-]+)['"]"#).ok());
static ROUTE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(get|post|put|patch|delete|match)\s+['"](/?[^'"]+)['"]"#).ok());
static RESOURCES: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*resources?\s+:(\w+)").ok());
static NAMESPACE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*(?:namespace\s+:(\w+)|scope\s+(?:path:\s*)?['"]/?([\w/]+)['"])"#).ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(require), Some(route), Some(resources), Some(namespace)) =
        (REQUIRE.as_ref(), ROUTE.as_ref(), RESOURCES.as_ref(), NAMESPACE.as_ref())
    else {
        return;
    };
    let routes_file = file.name() == "routes.rb";
    let mut scopes: Vec<(usize, String)> = Vec::new();
    for (n, line) in file.lines() {
        if let Some(cap) = require.captures(line) {
            let top = cap[1].split('/').next().unwrap_or(&cap[1]).to_string();
            out.extend(findings_for(
                LIBRARIES,
                LANGUAGE,
                &top,
                Strength::Used,
                &file.evidence(n, line),
            ));
        }
        if !routes_file {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        scopes.retain(|(i, _)| *i < indent || line.trim().is_empty());
        let prefix: String = scopes.iter().fold(String::new(), |mut p, (_, s)| {
            p.push('/');
            p.push_str(s);
            p
        });
        if let Some(cap) = namespace.captures(line) {
            let name = cap.get(1).or_else(|| cap.get(2)).map_or("", |m| m.as_str()).to_string();
            let path = format!("{prefix}/{name}");
            config::version_prefix(&path, file.evidence(n, line), out);
            scopes.push((indent, name));
        } else if let Some(cap) = route.captures(line) {
            config::endpoint(
                if &cap[1] == "match" { "ANY" } else { &cap[1] },
                &config::join_path(&prefix, &cap[2]),
                file.evidence(n, line),
                out,
            );
        } else if let Some(cap) = resources.captures(line) {
            let path = config::join_path(&prefix, &cap[1]);
            config::endpoint("GET", &path, file.evidence(n, line), out);
            config::endpoint("POST", &path, file.evidence(n, line), out);
        }
    }
    config::markers(file, out);
}

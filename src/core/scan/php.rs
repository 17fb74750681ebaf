//! PHP: composer.json, `use` lines, Laravel and Slim routes, Symfony route attributes.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::{json_key_line, language_version, short_version};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "PHP";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["php"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(name, "composer.json" | "composer.lock")
}

pub static LIBRARIES: &[Library] = &[
    lib(
        &["laravel/framework", "laravel/lumen-framework", "Illuminate"],
        &[K::Framework("Laravel"), K::Data("Eloquent", D::ActiveRecord)],
    ),
    lib(
        &["symfony/framework-bundle", "Symfony\\Component\\HttpKernel"],
        &[K::Framework("Symfony")],
    ),
    lib(&["slim/slim", "Slim"], &[K::Framework("Slim")]),
    lib(&["laminas/laminas-mvc", "mezzio/mezzio"], &[K::Framework("Laminas")]),
    lib(&["cakephp/cakephp"], &[K::Framework("CakePHP")]),
    lib(&["yiisoft/yii2"], &[K::Framework("Yii")]),
    lib(&["doctrine/orm", "Doctrine\\ORM"], &[K::Data("Doctrine ORM", D::Orm)]),
    lib(&["doctrine/dbal"], &[K::Data("Doctrine DBAL", D::QueryBuilder)]),
    lib(
        &["doctrine/migrations", "doctrine/doctrine-migrations-bundle"],
        &[K::Migrations("Doctrine Migrations")],
    ),
    lib(&["robmorgan/phinx"], &[K::Migrations("Phinx")]),
    lib(
        &["mongodb/laravel-mongodb", "mongodb/mongodb", "jenssegers/mongodb"],
        &[K::Database("MongoDB")],
    ),
    lib(&["predis/predis"], &[K::Queue("Redis")]),
    lib(&["php-amqplib/php-amqplib"], &[K::Queue("RabbitMQ")]),
    lib(
        &[
            "tymon/jwt-auth",
            "firebase/php-jwt",
            "lcobucci/jwt",
            "lexik/jwt-authentication-bundle",
            "php-open-source-saver/jwt-auth",
            "Firebase\\JWT",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(&["laravel/sanctum"], &[K::Auth(A::ApiKeys, "API tokens")]),
    lib(
        &[
            "laravel/passport",
            "league/oauth2-server",
            "league/oauth2-client",
            "laravel/socialite",
            "knpuniversity/oauth2-client-bundle",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["spatie/laravel-permission", "Spatie\\Permission"],
        &[K::Authz(Z::Rbac, "spatie/laravel-permission")],
    ),
    lib(&["casbin/casbin"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(
        &["nuwave/lighthouse", "webonyx/graphql-php", "api-platform/core"],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(
        &["grpc/grpc", "spiral/roadrunner-grpc"],
        &[K::Api(ApiStyle::Grpc, "gRPC")],
    ),
    lib(
        &["darkaonline/l5-swagger", "zircote/swagger-php", "nelmio/api-doc-bundle"],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(
        &["laravel/horizon"],
        &[K::Jobs("Laravel queues (Horizon)"), K::Queue("Redis")],
    ),
    lib(&["symfony/messenger"], &[K::Jobs("Symfony Messenger")]),
    lib(
        &["fruitcake/laravel-cors", "nelmio/cors-bundle"],
        &[K::Cors("CORS middleware")],
    ),
    lib(&["symfony/rate-limiter"], &[K::RateLimit("Symfony rate limiter")]),
    lib(&["monolog/monolog", "Monolog"], &[K::Logging("Monolog")]),
    lib(&["open-telemetry/*"], &[K::Tracing("OpenTelemetry")]),
    lib(&["sentry/*"], &[K::Tracing("Sentry")]),
];

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    if file.name() != "composer.json" {
        return;
    }
    let Ok(json) = serde_json::from_str::<serde_json::Value>(file.text) else {
        return;
    };
    let mut backend = None;
    let mut php_version = None;
    for (section, strength) in [("require", Strength::Declared), ("require-dev", Strength::Hint)] {
        let Some(deps) = json.get(section).and_then(serde_json::Value::as_object) else {
            continue;
        };
        for (name, spec) in deps {
            let Some((n, line)) = json_key_line(file, section, name) else {
                continue;
            };
            if name == "php" {
                php_version = spec.as_str().and_then(language_version).map(|v| (v, n, line));
                continue;
            }
            let evidence = file.evidence(n, line);
            if let Some(service) = integration(name) {
                out.push(Finding::new(
                    Fact::Integration { name: service.into() },
                    strength,
                    evidence.clone(),
                ));
            }
            let Some(library) = lookup(LIBRARIES, name) else {
                continue;
            };
            for known in library.facts {
                let mut fact = known.fact(LANGUAGE, name);
                if let Fact::Framework { version: v, .. } = &mut fact {
                    *v = spec.as_str().and_then(short_version);
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
    if let Some(at) = backend {
        out.push(file.language(LANGUAGE, at, php_version));
    }
}

static USE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*use\s+\\?([\w\\]+)").ok());
static ROUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:Route::|\$(?:app|group|router|r)->)(get|post|put|patch|delete|any)\(\s*['"]([^'"]*)['"]"#).ok()
});
static ATTRIBUTE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"#\[Route\(\s*['"]([^'"]*)['"](?:.*methods:\s*\[\s*['"](\w+)['"])?"#).ok());
static GROUP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?:Route::prefix|->group|->prefix)\(\s*['"]([^'"]+)['"]"#).ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(use_re), Some(route), Some(attribute), Some(group)) =
        (USE.as_ref(), ROUTE.as_ref(), ATTRIBUTE.as_ref(), GROUP.as_ref())
    else {
        return;
    };
    for (n, line) in file.lines() {
        if let Some(cap) = use_re.captures(line) {
            let path = &cap[1];
            let evidence = file.evidence(n, line);
            let mut found = findings_for(LIBRARIES, LANGUAGE, path, Strength::Used, &evidence);
            if found.is_empty() {
                let top = path.split('\\').next().unwrap_or(path);
                found = findings_for(LIBRARIES, LANGUAGE, top, Strength::Used, &evidence);
            }
            out.extend(found);
        }
        if let Some(cap) = route.captures(line) {
            config::endpoint(&cap[1], &cap[2], file.evidence(n, line), out);
        }
        if let Some(cap) = attribute.captures(line) {
            config::endpoint(
                cap.get(2).map_or("ANY", |m| m.as_str()),
                &cap[1],
                file.evidence(n, line),
                out,
            );
        }
        if let Some(cap) = group.captures(line) {
            config::version_prefix(&config::join_path("", &cap[1]), file.evidence(n, line), out);
        }
    }
    config::markers(file, out);
}

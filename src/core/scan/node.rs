//! Node.js and Bun: package.json and lock files, JavaScript and TypeScript imports, routes of
//! Express-style routers, Fastify, Koa, Hono and `NestJS` controllers.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = "Node.js";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    matches!(
        name,
        "package.json"
            | "package-lock.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "bun.lockb"
            | ".nvmrc"
            | ".node-version"
            | "schema.prisma"
    )
}

pub static LIBRARIES: &[Library] = &[
    lib(&["express"], &[K::Framework("Express")]),
    lib(&["fastify"], &[K::Framework("Fastify")]),
    lib(&["koa"], &[K::Framework("Koa")]),
    lib(&["@hapi/hapi", "hapi"], &[K::Framework("hapi")]),
    lib(&["@nestjs/core"], &[K::Framework("NestJS")]),
    lib(&["hono"], &[K::Framework("Hono")]),
    lib(&["restify"], &[K::Framework("Restify")]),
    lib(&["@adonisjs/core"], &[K::Framework("AdonisJS")]),
    lib(&["@feathersjs/feathers"], &[K::Framework("Feathers")]),
    lib(&["@loopback/core", "@loopback/rest"], &[K::Framework("LoopBack")]),
    lib(&["elysia"], &[K::Framework("Elysia")]),
    lib(&["sails"], &[K::Framework("Sails")]),
    lib(
        &[
            "pg",
            "pg-promise",
            "postgres",
            "@neondatabase/serverless",
            "@vercel/postgres",
        ],
        &[K::Database("PostgreSQL"), K::Data("node-postgres", D::Driver)],
    ),
    lib(
        &["mysql", "mysql2", "@planetscale/database"],
        &[K::Database("MySQL"), K::Data("mysql2", D::Driver)],
    ),
    lib(&["mariadb"], &[K::Database("MariaDB")]),
    lib(
        &["mongoose"],
        &[K::Database("MongoDB"), K::Data("Mongoose", D::ActiveRecord)],
    ),
    lib(
        &["mongodb"],
        &[K::Database("MongoDB"), K::Data("MongoDB driver", D::Driver)],
    ),
    lib(&["sqlite3", "better-sqlite3"], &[K::Database("SQLite")]),
    lib(&["mssql", "tedious"], &[K::Database("SQL Server")]),
    lib(&["oracledb"], &[K::Database("Oracle")]),
    lib(
        &["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "dynamoose"],
        &[K::Database("DynamoDB")],
    ),
    lib(&["cassandra-driver"], &[K::Database("Cassandra")]),
    lib(&["redis", "ioredis", "@redis/client"], &[K::Queue("Redis")]),
    lib(&["amqplib", "amqp-connection-manager"], &[K::Queue("RabbitMQ")]),
    lib(&["kafkajs", "node-rdkafka"], &[K::Queue("Kafka")]),
    lib(&["@aws-sdk/client-sqs", "sqs-consumer"], &[K::Queue("Amazon SQS")]),
    lib(&["nats"], &[K::Queue("NATS")]),
    lib(&["@prisma/client"], &[K::Data("Prisma", D::Orm)]),
    lib(
        &["prisma"],
        &[K::Data("Prisma", D::Orm), K::Migrations("Prisma Migrate")],
    ),
    lib(&["typeorm", "@nestjs/typeorm"], &[K::Data("TypeORM", D::Orm)]),
    lib(&["sequelize", "sequelize-typescript"], &[K::Data("Sequelize", D::Orm)]),
    lib(&["knex"], &[K::Data("Knex", D::QueryBuilder)]),
    lib(&["kysely"], &[K::Data("Kysely", D::QueryBuilder)]),
    lib(&["drizzle-orm"], &[K::Data("Drizzle ORM", D::Orm)]),
    lib(&["drizzle-kit"], &[K::Migrations("Drizzle Kit")]),
    lib(&["@mikro-orm/core"], &[K::Data("MikroORM", D::Orm)]),
    lib(&["objection"], &[K::Data("Objection.js", D::Orm)]),
    lib(&["node-pg-migrate"], &[K::Migrations("node-pg-migrate")]),
    lib(&["db-migrate"], &[K::Migrations("db-migrate")]),
    lib(&["umzug"], &[K::Migrations("Umzug")]),
    lib(
        &[
            "jsonwebtoken",
            "jose",
            "passport-jwt",
            "@nestjs/jwt",
            "express-jwt",
            "@fastify/jwt",
            "fastify-jwt",
            "koa-jwt",
            "jwks-rsa",
            "jwt-decode",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &[
            "express-session",
            "cookie-session",
            "@fastify/session",
            "@fastify/secure-session",
            "koa-session",
            "iron-session",
            "passport-local",
        ],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(
        &["connect-redis"],
        &[K::Auth(A::Session, "sessions"), K::Queue("Redis")],
    ),
    lib(&["connect-mongo"], &[K::Auth(A::Session, "sessions")]),
    lib(
        &[
            "passport-oauth2",
            "passport-google-oauth20",
            "passport-github2",
            "passport-openidconnect",
            "openid-client",
            "simple-oauth2",
            "grant",
            "oidc-provider",
            "@fastify/oauth2",
            "next-auth",
            "@auth/core",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["passport-headerapikey", "passport-http-bearer"],
        &[K::Auth(A::ApiKeys, "API keys")],
    ),
    lib(
        &["express-openid-connect", "auth0", "@auth0/*"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Auth0")],
    ),
    lib(
        &["keycloak-connect", "keycloak-js"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Keycloak")],
    ),
    lib(&["@okta/*"], &[K::Auth(A::OAuth, "OAuth"), K::Idp("Okta")]),
    lib(&["firebase-admin"], &[K::Idp("Firebase Authentication")]),
    lib(&["@clerk/*"], &[K::Idp("Clerk")]),
    lib(&["@supabase/supabase-js"], &[K::Idp("Supabase Auth")]),
    lib(
        &[
            "amazon-cognito-identity-js",
            "aws-jwt-verify",
            "@aws-sdk/client-cognito-identity-provider",
        ],
        &[K::Idp("Amazon Cognito")],
    ),
    lib(&["casbin", "node-casbin"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(
        &["accesscontrol", "role-acl", "rbac", "@rbac/rbac"],
        &[K::Authz(Z::Rbac, "role-based access control library")],
    ),
    lib(&["oso", "oso-cloud"], &[K::Authz(Z::Rbac, "Oso")]),
    lib(&["@casl/ability"], &[K::Authz(Z::Abac, "CASL")]),
    lib(
        &["@open-policy-agent/opa-wasm", "@styra/opa"],
        &[K::Authz(Z::Abac, "Open Policy Agent")],
    ),
    lib(&["@cerbos/grpc", "@cerbos/http"], &[K::Authz(Z::Abac, "Cerbos")]),
    lib(
        &[
            "graphql",
            "@apollo/server",
            "apollo-server*",
            "graphql-yoga",
            "mercurius",
            "type-graphql",
            "@nestjs/graphql",
            "express-graphql",
            "graphql-http",
            "@pothos/core",
            "nexus",
        ],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(
        &["@grpc/grpc-js", "grpc", "@grpc/proto-loader", "@connectrpc/connect"],
        &[K::Api(ApiStyle::Grpc, "gRPC")],
    ),
    lib(&["@trpc/server"], &[K::Api(ApiStyle::Trpc, "tRPC")]),
    lib(
        &[
            "swagger-ui-express",
            "@nestjs/swagger",
            "@fastify/swagger",
            "swagger-jsdoc",
            "express-openapi-validator",
            "tsoa",
        ],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(
        &["bull", "bullmq", "@nestjs/bull", "@nestjs/bullmq"],
        &[K::Jobs("BullMQ"), K::Queue("Redis")],
    ),
    lib(&["bee-queue", "kue"], &[K::Jobs("Bee-Queue"), K::Queue("Redis")]),
    lib(&["agenda"], &[K::Jobs("Agenda")]),
    lib(&["graphile-worker"], &[K::Jobs("Graphile Worker")]),
    lib(&["pg-boss"], &[K::Jobs("pg-boss")]),
    lib(
        &["node-cron", "cron", "node-schedule", "@nestjs/schedule"],
        &[K::Jobs("cron schedules")],
    ),
    lib(&["@temporalio/*"], &[K::Jobs("Temporal")]),
    lib(&["inngest"], &[K::Jobs("Inngest")]),
    lib(
        &[
            "express-rate-limit",
            "rate-limiter-flexible",
            "@fastify/rate-limit",
            "@nestjs/throttler",
            "express-slow-down",
            "koa-ratelimit",
            "hono-rate-limiter",
        ],
        &[K::RateLimit("rate-limit middleware")],
    ),
    lib(
        &["cors", "@fastify/cors", "@koa/cors", "koa-cors"],
        &[K::Cors("cors middleware")],
    ),
    lib(
        &[
            "express-request-id",
            "cls-rtracer",
            "correlation-id",
            "express-correlation-id",
            "@fastify/request-context",
        ],
        &[K::RequestId("request-id middleware")],
    ),
    lib(&["pino", "pino-http", "nestjs-pino"], &[K::Logging("pino")]),
    lib(&["winston", "nest-winston"], &[K::Logging("winston")]),
    lib(&["bunyan"], &[K::Logging("bunyan")]),
    lib(&["morgan"], &[K::Logging("morgan")]),
    lib(&["@opentelemetry/*"], &[K::Tracing("OpenTelemetry")]),
    lib(&["dd-trace"], &[K::Tracing("Datadog APM")]),
    lib(&["@sentry/*"], &[K::Tracing("Sentry")]),
    lib(&["newrelic"], &[K::Tracing("New Relic")]),
    lib(&["prom-client", "express-prom-bundle"], &[K::Metrics("Prometheus")]),
];

/// The major version (and the minor below 1.0) of a version requirement: "^4.19.2" → "4",
/// "~0.7.5" → "0.7", "v1.9.1" → "1".
pub fn short_version(spec: &str) -> Option<String> {
    let full = language_version(spec)?;
    let mut parts = full.split('.');
    let major = parts.next()?;
    Some(match (major, parts.next()) {
        ("0", Some(minor)) => format!("0.{minor}"),
        (m, _) => m.to_string(),
    })
}

/// Major and minor as written: ">=3.11" → "3.11", "1.22.3" → "1.22", "22" → "22".
pub fn language_version(spec: &str) -> Option<String> {
    let start = spec.find(|c: char| c.is_ascii_digit())?;
    let digits: String = spec[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let parts: Vec<&str> = digits.split('.').filter(|p| !p.is_empty()).take(2).collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// The line of `"name"` inside the JSON object that starts at the line containing `"section"`.
pub fn json_key_line<'a>(file: &SourceFile<'a>, section: &str, name: &str) -> Option<(u32, &'a str)> {
    let section = format!("\"{section}\"");
    let key = format!("\"{name}\"");
    let mut inside = false;
    for (n, line) in file.lines() {
        if line.contains(&section) {
            inside = true;
        }
        if inside && line.contains(&key) && !line.contains(&section) {
            return Some((n, line));
        }
    }
    None
}

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    match file.name() {
        "package.json" => package_json(file, out),
        "schema.prisma" => {
            out.push(Finding::new(
                Fact::DataAccess {
                    library: "Prisma".into(),
                    style: D::Orm,
                },
                Strength::Configured,
                file.evidence_at("datasource"),
            ));
            config::connection_urls(file, out);
        }
        ".nvmrc" | ".node-version" => {
            if let Some((n, line)) = file.lines().find(|(_, l)| !l.trim().is_empty())
                && let Some(version) = language_version(line)
            {
                out.push(Finding::new(
                    Fact::Language {
                        name: LANGUAGE.into(),
                        version: Some(version),
                    },
                    Strength::Hint,
                    file.evidence(n, line),
                ));
            }
        }
        _ => {}
    }
}

fn package_json(file: &SourceFile, out: &mut Vec<Finding>) {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(file.text) else {
        return;
    };
    let mut backend = false;
    let mut first_backend: Option<(u32, String)> = None;
    for (section, strength) in [
        ("dependencies", Strength::Declared),
        ("optionalDependencies", Strength::Declared),
        ("peerDependencies", Strength::Hint),
        ("devDependencies", Strength::Hint),
    ] {
        let Some(deps) = json.get(section).and_then(serde_json::Value::as_object) else {
            continue;
        };
        for (name, spec) in deps {
            let Some((n, line)) = json_key_line(file, section, name) else {
                continue;
            };
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
            let version = spec.as_str().and_then(short_version);
            for known in library.facts {
                let mut fact = known.fact(LANGUAGE, name);
                if let Fact::Framework { version: v, .. } = &mut fact {
                    v.clone_from(&version);
                }
                if known.is_backend() && strength == Strength::Declared {
                    backend = true;
                    if first_backend.is_none() || matches!(known, K::Framework(_)) {
                        first_backend = Some((n, line.to_string()));
                    }
                }
                out.push(Finding::new(fact, strength, evidence.clone()));
            }
        }
    }
    if backend {
        let version = json
            .pointer("/engines/node")
            .and_then(serde_json::Value::as_str)
            .and_then(language_version);
        let evidence = match json_key_line(file, "engines", "node") {
            Some((n, l)) if version.is_some() => file.evidence(n, l),
            _ => {
                let (n, l) = first_backend.unwrap_or((1, String::new()));
                file.evidence(n, &l)
            }
        };
        out.push(Finding::new(
            Fact::Language {
                name: LANGUAGE.into(),
                version,
            },
            Strength::Declared,
            evidence,
        ));
    }
}

static IMPORT: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?:\bfrom\s+|\brequire\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]"#).ok());
static ROUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[^\w$.])((?:app|server|fastify|router|r|routes|route|instance|v\d+|[\w$]*(?:Router|router|App|Routes|Server)))\s*\.\s*(get|post|put|patch|delete|all|head|options)\(\s*['"`](/[^'"`]*)['"`]"#).ok()
});
static MOUNT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"\.(?:use|route|register|basePath|setGlobalPrefix)\(\s*['"`](/?[\w/.:-]*)['"`]"#).ok()
});
static NEST_CONTROLLER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"@Controller\(\s*['"`]([^'"`]*)['"`]"#).ok());
static NEST_ROUTE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"@(Get|Post|Put|Patch|Delete|All)\(\s*(?:['"`]([^'"`]*)['"`])?\s*\)"#).ok());
static TRPC: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\b(?:initTRPC|createTRPCRouter|t\.router\(|publicProcedure|protectedProcedure)").ok()
});

/// The package an import names: `@scope/pkg/sub` → `@scope/pkg`, `pkg/sub` → `pkg`, and
/// nothing for relative paths and Node's own modules.
fn package_of(spec: &str) -> Option<&str> {
    if spec.starts_with('.') || spec.starts_with('/') || spec.starts_with("node:") {
        return None;
    }
    let mut parts = spec.splitn(3, '/');
    let first = parts.next()?;
    if first.starts_with('@') {
        let second = parts.next()?;
        Some(&spec[..first.len() + 1 + second.len()])
    } else {
        Some(first)
    }
}

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(import), Some(route), Some(mount), Some(controller), Some(nest), Some(trpc)) = (
        IMPORT.as_ref(),
        ROUTE.as_ref(),
        MOUNT.as_ref(),
        NEST_CONTROLLER.as_ref(),
        NEST_ROUTE.as_ref(),
        TRPC.as_ref(),
    ) else {
        return;
    };
    let mut prefix = String::new();
    for (n, line) in file.lines() {
        for cap in import.captures_iter(line) {
            if let Some(pkg) = cap.get(1).and_then(|m| package_of(m.as_str())) {
                out.extend(findings_for(
                    LIBRARIES,
                    LANGUAGE,
                    pkg,
                    Strength::Used,
                    &file.evidence(n, line),
                ));
            }
        }
        if let Some(cap) = route.captures(line) {
            config::endpoint(&cap[2], &cap[3], file.evidence(n, line), out);
        }
        if let Some(cap) = mount.captures(line) {
            config::version_prefix(&cap[1], file.evidence(n, line), out);
        }
        if let Some(cap) = controller.captures(line) {
            prefix = config::join_path("", &cap[1]);
            config::version_prefix(&prefix, file.evidence(n, line), out);
        }
        if let Some(cap) = nest.captures(line) {
            let path = config::join_path(&prefix, cap.get(2).map_or("", |m| m.as_str()));
            config::endpoint(&cap[1], &path, file.evidence(n, line), out);
        }
        if trpc.is_match(line) {
            out.push(Finding::new(
                Fact::Api {
                    style: ApiStyle::Trpc,
                    library: "tRPC".into(),
                },
                Strength::Used,
                file.evidence(n, line),
            ));
        }
    }
    config::markers(file, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_shortened() {
        assert_eq!(short_version("^4.19.2").as_deref(), Some("4"));
        assert_eq!(short_version("~0.7.5").as_deref(), Some("0.7"));
        assert_eq!(language_version(">=3.11").as_deref(), Some("3.11"));
        assert_eq!(short_version("latest"), None);
    }

    #[test]
    fn imports_name_their_package() {
        assert_eq!(package_of("@nestjs/core/injector"), Some("@nestjs/core"));
        assert_eq!(package_of("express"), Some("express"));
        assert_eq!(package_of("./routes"), None);
        assert_eq!(package_of("node:http"), None);
    }

    #[test]
    fn routes_of_a_client_are_not_endpoints() {
        let mut out = Vec::new();
        source(
            &SourceFile::new(
                "web/api.ts",
                "const r = await axios.get('/api/v1/users');\nfetch.get('/x')\n",
            ),
            &mut out,
        );
        assert!(!out.iter().any(|f| matches!(f.fact, Fact::Endpoint { .. })), "{out:?}");
    }
}

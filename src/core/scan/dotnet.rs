//! .NET: project files (*.csproj, *.fsproj, the SDK and target framework, package
//! references), appsettings.json, `using` lines, controller attributes and minimal APIs.
use std::sync::LazyLock;

use regex::Regex;

use super::fact::{ApiStyle, AuthMethod as A, AuthzModel as Z, DataStyle as D, Fact, Finding, Strength};
use super::known::{Known as K, Library, findings_for, integration, lib, lookup};
use super::node::short_version;
use super::{Family, SourceFile, config};

pub const LANGUAGE: &str = ".NET";

pub const FAMILY: Family = Family {
    language: LANGUAGE,
    is_manifest,
    extensions: &["cs", "fs"],
    manifest,
    source,
};

fn is_manifest(name: &str) -> bool {
    name.ends_with(".csproj")
        || name.ends_with(".fsproj")
        || name == "Directory.Packages.props"
        || (name.starts_with("appsettings") && name.ends_with(".json"))
}

pub static LIBRARIES: &[Library] = &[
    lib(
        &["Microsoft.AspNetCore*", "Microsoft.NET.Sdk.Web"],
        &[K::Framework("ASP.NET Core")],
    ),
    lib(
        &[
            "Microsoft.EntityFrameworkCore.Design",
            "Microsoft.EntityFrameworkCore.Tools",
        ],
        &[
            K::Data("Entity Framework Core", D::Orm),
            K::Migrations("Entity Framework Core migrations"),
        ],
    ),
    lib(&["Npgsql*"], &[K::Database("PostgreSQL")]),
    lib(
        &[
            "Microsoft.EntityFrameworkCore.SqlServer",
            "Microsoft.Data.SqlClient",
            "System.Data.SqlClient",
        ],
        &[K::Database("SQL Server")],
    ),
    lib(
        &["Pomelo.EntityFrameworkCore.MySql", "MySqlConnector", "MySql.Data"],
        &[K::Database("MySQL")],
    ),
    lib(
        &["Microsoft.EntityFrameworkCore.Sqlite", "Microsoft.Data.Sqlite"],
        &[K::Database("SQLite")],
    ),
    lib(
        &["MongoDB.Driver", "MongoDB.EntityFrameworkCore"],
        &[K::Database("MongoDB")],
    ),
    lib(
        &["Microsoft.EntityFrameworkCore*"],
        &[K::Data("Entity Framework Core", D::Orm)],
    ),
    lib(&["Dapper"], &[K::Data("Dapper", D::Driver)]),
    lib(
        &["StackExchange.Redis", "Microsoft.Extensions.Caching.StackExchangeRedis"],
        &[K::Queue("Redis")],
    ),
    lib(&["RabbitMQ.Client", "MassTransit.RabbitMQ"], &[K::Queue("RabbitMQ")]),
    lib(&["Confluent.Kafka"], &[K::Queue("Kafka")]),
    lib(&["FluentMigrator*"], &[K::Migrations("FluentMigrator")]),
    lib(&["DbUp*"], &[K::Migrations("DbUp")]),
    lib(
        &[
            "Microsoft.AspNetCore.Authentication.JwtBearer",
            "System.IdentityModel.Tokens.Jwt",
            "Microsoft.IdentityModel.Tokens",
        ],
        &[K::Auth(A::Jwt, "JWT")],
    ),
    lib(
        &[
            "Microsoft.AspNetCore.Authentication.OpenIdConnect",
            "Microsoft.AspNetCore.Authentication.Google",
            "Microsoft.AspNetCore.Authentication.MicrosoftAccount",
        ],
        &[K::Auth(A::OAuth, "OAuth")],
    ),
    lib(
        &["Microsoft.Identity.Web"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("Microsoft Entra ID")],
    ),
    lib(
        &["Duende.IdentityServer*", "OpenIddict*"],
        &[K::Auth(A::OAuth, "OAuth"), K::Idp("own OpenID Connect server")],
    ),
    lib(
        &["Microsoft.AspNetCore.Identity.EntityFrameworkCore"],
        &[K::Auth(A::Session, "sessions")],
    ),
    lib(&["Casbin.NET", "Casbin"], &[K::Authz(Z::Rbac, "Casbin")]),
    lib(
        &["HotChocolate*", "GraphQL.Server*", "GraphQL"],
        &[K::Api(ApiStyle::GraphQl, "GraphQL server")],
    ),
    lib(
        &["Grpc.AspNetCore", "Grpc.Net.Client", "Grpc.Core", "Grpc"],
        &[K::Api(ApiStyle::Grpc, "gRPC")],
    ),
    lib(
        &[
            "Swashbuckle.AspNetCore*",
            "NSwag*",
            "Microsoft.AspNetCore.OpenApi",
            "Swashbuckle",
        ],
        &[K::Api(ApiStyle::Rest, "OpenAPI")],
    ),
    lib(&["Hangfire*"], &[K::Jobs("Hangfire")]),
    lib(&["Quartz*"], &[K::Jobs("Quartz.NET")]),
    lib(&["MassTransit"], &[K::Jobs("MassTransit")]),
    lib(&["AspNetCoreRateLimit"], &[K::RateLimit("AspNetCoreRateLimit")]),
    lib(&["Serilog*"], &[K::Logging("Serilog")]),
    lib(&["NLog*"], &[K::Logging("NLog")]),
    lib(&["OpenTelemetry*"], &[K::Tracing("OpenTelemetry")]),
    lib(&["Sentry*"], &[K::Tracing("Sentry")]),
    lib(&["prometheus-net*", "Prometheus"], &[K::Metrics("Prometheus")]),
];

static PACKAGE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"<Package(?:Reference|Version)\s+Include="([^"]+)"(?:\s+Version="([^"]+)")?"#).ok());
static TARGET: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<TargetFrameworks?>\s*net(\d+(?:\.\d+)?)").ok());
static SDK: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"<Project\s+Sdk="([^"]+)""#).ok());

fn manifest(file: &SourceFile, out: &mut Vec<Finding>) {
    if file.name().starts_with("appsettings") {
        config::connection_urls(file, out);
        if let Some((n, line)) = file
            .lines()
            .find(|(_, l)| l.contains("Host=") && l.contains("Database="))
        {
            out.push(Finding::new(
                Fact::Database {
                    engine: "PostgreSQL".into(),
                    version: None,
                },
                Strength::Configured,
                config::masked(file, n, line),
            ));
        }
        return;
    }
    let (Some(package), Some(target), Some(sdk)) = (PACKAGE.as_ref(), TARGET.as_ref(), SDK.as_ref()) else {
        return;
    };
    let mut backend = None;
    let mut version = None;
    for (n, line) in file.lines() {
        let mut names: Vec<(String, Option<String>)> = Vec::new();
        if let Some(cap) = sdk.captures(line) {
            names.push((cap[1].to_string(), None));
        }
        if let Some(cap) = target.captures(line) {
            version = Some((cap[1].to_string(), n, line));
        }
        if let Some(cap) = package.captures(line) {
            names.push((cap[1].to_string(), cap.get(2).map(|m| m.as_str().to_string())));
        }
        for (name, v) in names {
            let evidence = file.evidence(n, line);
            if let Some(service) = integration(&name) {
                out.push(Finding::new(
                    Fact::Integration { name: service.into() },
                    Strength::Declared,
                    evidence.clone(),
                ));
            }
            let Some(library) = lookup(LIBRARIES, &name) else {
                continue;
            };
            for known in library.facts {
                let mut fact = known.fact(LANGUAGE, &name);
                if let Fact::Framework { version: fv, .. } = &mut fact {
                    *fv = v.as_deref().and_then(short_version);
                }
                if known.is_backend() && (backend.is_none() || matches!(known, K::Framework(_))) {
                    backend = Some((n, line));
                }
                out.push(Finding::new(fact, Strength::Declared, evidence.clone()));
            }
        }
    }
    if let Some(at) = backend {
        out.push(file.language(LANGUAGE, at, version));
    }
}

static USING: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*(?:global\s+)?using\s+([\w.]+)\s*;").ok());
static HTTP_ATTR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\[Http(Get|Post|Put|Patch|Delete)(?:\(\s*"([^"]*)")?"#).ok());
static ROUTE_ATTR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r#"\[Route\(\s*"([^"]*)""#).ok());
static MINIMAL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"\.Map(Get|Post|Put|Patch|Delete|Group)\(\s*"([^"]*)""#).ok());

fn source(file: &SourceFile, out: &mut Vec<Finding>) {
    let (Some(using), Some(http), Some(route), Some(minimal)) = (
        USING.as_ref(),
        HTTP_ATTR.as_ref(),
        ROUTE_ATTR.as_ref(),
        MINIMAL.as_ref(),
    ) else {
        return;
    };
    let mut prefix = String::new();
    for (n, line) in file.lines() {
        if let Some(cap) = using.captures(line) {
            out.extend(findings_for(
                LIBRARIES,
                LANGUAGE,
                &cap[1],
                Strength::Used,
                &file.evidence(n, line),
            ));
            continue;
        }
        if let Some(cap) = route.captures(line) {
            prefix = config::join_path("", &cap[1]);
            config::version_prefix(&prefix, file.evidence(n, line), out);
        }
        if let Some(cap) = http.captures(line) {
            config::endpoint(
                &cap[1],
                &config::join_path(&prefix, cap.get(2).map_or("", |m| m.as_str())),
                file.evidence(n, line),
                out,
            );
        }
        if let Some(cap) = minimal.captures(line) {
            if &cap[1] == "Group" {
                config::version_prefix(&config::join_path("", &cap[2]), file.evidence(n, line), out);
            } else {
                config::endpoint(&cap[1], &cap[2], file.evidence(n, line), out);
            }
        }
        let marker = if line.contains("AddCors(") || line.contains("UseCors(") {
            Some(Fact::Cors {
                library: "ASP.NET Core CORS".into(),
            })
        } else if line.contains("AddRateLimiter(") || line.contains("UseRateLimiter(") {
            Some(Fact::RateLimit {
                library: "ASP.NET Core rate limiter".into(),
            })
        } else if line.contains(".AddJwtBearer(") {
            Some(Fact::Auth {
                method: A::Jwt,
                library: "JWT bearer".into(),
            })
        } else if line.contains(".AddCookie(") {
            Some(Fact::Auth {
                method: A::Session,
                library: "cookie sessions".into(),
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

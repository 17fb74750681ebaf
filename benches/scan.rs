//! Repository scan speed on a generated project of 50,000 files (the budget: under 300 ms on
//! a two-core machine), without and with the cache.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use spec_interview::core::questionnaire::{BUILTIN, parse};
use spec_interview::core::scan::{self, Budget};

fn main() {
    // Generated once, before any sample is timed.
    LazyLock::force(&TREE);
    divan::main();
}

const FILES: usize = 50_000;

/// A monorepo-shaped tree: 250 packages of 40 folders' worth of sources, documents, assets
/// and manifests, 50,000 files in all, plus an ignored `node_modules`.
static TREE: LazyLock<(tempfile::TempDir, PathBuf)> = LazyLock::new(|| {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let kinds = [
        (
            "ts",
            "import express from 'express';\nimport { Router } from 'express';\nexport const r = Router();\nr.get('/v1/items', (_q, s) => s.json([]));\n",
        ),
        (
            "py",
            "from fastapi import APIRouter\nimport sqlalchemy\nrouter = APIRouter()\n\n@router.get(\"/v1/items\")\ndef items():\n    return []\n",
        ),
        (
            "go",
            "package items\n\nimport (\n\t\"net/http\"\n\t\"github.com/go-chi/chi/v5\"\n)\n",
        ),
        ("md", "# Notes\n\nNothing to see.\n"),
        ("png", "\u{89}PNG"),
        ("json", "{\"name\": \"fixture\"}\n"),
        (
            "java",
            "package a;\nimport org.springframework.web.bind.annotation.GetMapping;\n",
        ),
        ("rs", "use axum::Router;\n"),
    ];
    let mut written = 0;
    let mut package = 0;
    while written < FILES {
        let pkg = root.join(format!("packages/pkg{package:03}"));
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join("package.json"),
            "{\"dependencies\": {\"express\": \"^4.19.2\", \"pg\": \"^8.11.0\", \"jsonwebtoken\": \"^9.0.0\"}}\n",
        )
        .unwrap();
        written += 1;
        for dir in 0..10 {
            let d = pkg.join(format!("src/module{dir}"));
            std::fs::create_dir_all(&d).unwrap();
            for i in 0..20 {
                if written >= FILES {
                    break;
                }
                let (ext, text) = kinds[(i + dir) % kinds.len()];
                std::fs::write(d.join(format!("file{i}.{ext}")), text).unwrap();
                written += 1;
            }
        }
        package += 1;
    }
    let modules = root.join("node_modules/big");
    std::fs::create_dir_all(&modules).unwrap();
    for i in 0..1000 {
        std::fs::write(modules.join(format!("{i}.js")), "require('mongoose')\n").unwrap();
    }
    (tmp, root)
});

fn root() -> &'static Path {
    &TREE.1
}

/// A full scan, no cache: walk, read manifests and the start of sources within the budget.
#[divan::bench(sample_count = 20)]
fn scan_50k_files() -> usize {
    scan::scan(root(), &Budget::default()).findings.len()
}

/// Proposals for D04 when the cache is fresh: only the stamps are checked.
#[divan::bench(sample_count = 20)]
fn suggest_50k_files_cached(bencher: divan::Bencher) {
    let cache = tempfile::tempdir().unwrap();
    let (path, text) = BUILTIN[0];
    let q = parse(Path::new(path), text).unwrap();
    scan::suggest(root(), &q, Some(cache.path()));
    bencher.bench(|| scan::suggest(root(), &q, Some(cache.path())).proposals.len());
}

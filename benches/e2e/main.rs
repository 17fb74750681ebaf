//! The end-to-end benchmark: the release binary in a pseudo-terminal and as a whole process, each
//! figure next to the tool users would otherwise use, measured in the same run, in one table.
//! `cargo bench --bench e2e`; BENCHMARKS.md says what each figure means and how it is measured.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../shared/documents.rs"]
mod documents;
mod process;
mod terminal;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::Project;
use terminal::{QUIET_FIRST_FRAME, QUIET_KEY, Terminal};

const BIN: &str = env!("CARGO_BIN_EXE_spec-interview");
const COLS: u16 = 160;
const ROWS: u16 = 48;
const DOC: &str = ".specflow/docs/D04-backend-architecture.md";
const COMPLETE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/answers/d04-backend-architecture-complete.toml"
);
const COPIER_TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/copier/d04");
const COPIER_ANSWERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/copier/d04-answers.yml");
/// The copier release the peer figures were first taken with.
const COPIER: &str = "copier==9.19.1";

/// Typed into the first question (the project name), then deleted, over and over.
const NAME: &[u8] = b"Ledgerline payments platform";
/// Typed characters measured: at least 500.
const TYPED: usize = 504;
const BACKSPACE: u8 = 0x7f;
const CTRL_Q: &[u8] = b"\x11";
const IDLE: Duration = Duration::from_secs(5);
/// Targets from the issue that asks for speed.
const TARGET_KEY_P50_MS: f64 = 1.0;
const TARGET_KEY_P99_MS: f64 = 3.0;
const TARGET_BYTES_PER_KEY: f64 = 48.0;
const TARGET_IDLE_PERCENT: f64 = 0.1;
const TARGET_PEAK_MB: f64 = 10.0;
const TARGET_COPIER_RATIO: f64 = 100.0;
const TARGET_DIFF_RATIO: f64 = 1.5;

fn main() {
    // For profiling: `E2E_PROJECT=DIR cargo bench --bench e2e` only writes the reviewer's project.
    if let Some(dir) = std::env::var_os("E2E_PROJECT") {
        let root = PathBuf::from(dir);
        std::fs::create_dir_all(&root).unwrap();
        let (old, new) = write_review_project(&root, &root);
        println!(
            "Two 10,000-line revisions of {DOC} in {}; the same texts in {} and {}.",
            root.display(),
            old.display(),
            new.display()
        );
        return;
    }
    release_build();
    let runs: usize = std::env::var("E2E_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11)
        .max(3);
    let load_before = load_average();
    eprintln!("e2e: {runs} runs of each figure; this takes a few minutes.");
    let vim = which("vim");

    let review = ReviewProject::new();
    eprintln!("e2e: first frames (interview, reviewer, vim)…");
    let frames = first_frames(runs, vim.as_deref(), &review);
    eprintln!("e2e: typing {TYPED} characters into the interview and into vim…");
    let interview = typing(&Program::interview(), None);
    let vim_typing = vim.as_deref().map(|v| typing(&Program::vim(v), Some(b"i")));
    eprintln!("e2e: the reviewer idle and its memory…");
    let reviewer = reviewer_idle(&review);
    eprintln!("e2e: render against copier…");
    let render = render_vs_copier(runs);
    eprintln!("e2e: diff --print against diff -u and git diff --no-index…");
    let diff = diff_vs_peers(runs, &review);
    let load_after = load_average();

    let mut out = String::new();
    let _ = writeln!(out, "\n{}", machine());
    let _ = writeln!(
        out,
        "Load average (1, 5, 15 min): {load_before} before, {load_after} after. Medians of {runs} runs unless said.\n"
    );
    out.push_str(&table(
        &frames,
        &interview,
        vim_typing.as_ref(),
        &reviewer,
        &render,
        &diff,
    ));
    let _ = writeln!(out, "\n{}", code_order());
    println!("{out}");
}

/// How much of `link/code-order.txt` the measured binary was laid out by: the file's functions
/// found among the binary's (`nm`). A stale file (functions renamed or added since it was
/// written, or another toolchain) lays out less of the code the screens run, and their
/// memory rises; `link/order-code` writes it again.
fn code_order() -> String {
    let listed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/link/code-order.txt")).unwrap_or_default();
    let listed: Vec<&str> = listed.lines().filter(|l| !l.is_empty()).collect();
    let Ok(out) = Command::new("nm").args(["--defined-only", BIN]).output() else {
        return "Code order: not checked (no nm).".into();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let defined: std::collections::HashSet<&str> = text.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    let found = listed.iter().filter(|name| defined.contains(*name)).count();
    let share = if listed.is_empty() {
        0.0
    } else {
        found as f64 * 100.0 / listed.len() as f64
    };
    let advice = if share < 90.0 {
        " (stale: run link/order-code, then measure again)"
    } else {
        ""
    };
    format!(
        "Code order: {found} of the {} functions of link/code-order.txt are in the binary measured ({share:.0} %){advice}.",
        listed.len()
    )
}

// ───────────────────────────── programs ─────────────────────────────

/// A program to start in the terminal, how to tell its first frame is complete, how to quit it.
struct Program {
    path: PathBuf,
    args: Vec<String>,
    complete: fn(&str) -> bool,
    quit: &'static [u8],
}

impl Program {
    fn interview() -> Program {
        Program {
            path: BIN.into(),
            args: Vec::new(),
            complete: interview_complete,
            quit: CTRL_Q,
        }
    }

    fn vim(vim: &Path) -> Program {
        Program {
            path: vim.into(),
            args: vec!["-u".into(), "NONE".into()],
            complete: vim_complete,
            quit: b"\x1b:qa!\r",
        }
    }

    /// Starts it in a fresh project folder at 160×48.
    fn start(&self, project: &Project, extra: &[&str]) -> Terminal {
        let mut args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        args.extend(extra);
        Terminal::start(
            &self.path,
            &args,
            &project.root,
            &[("HOME", &project.home), ("XDG_CONFIG_HOME", &project.config)],
            COLS,
            ROWS,
        )
    }
}

/// The screen's rows (0-based `row`), empty when there are fewer.
fn row(screen: &str, row: usize) -> &str {
    screen.lines().nth(row).unwrap_or_default()
}

/// The interview's first frame is complete once the first question and the bottom row (the
/// key hints) are on the screen.
fn interview_complete(screen: &str) -> bool {
    screen.contains(common::FIRST_PROMPT) && !row(screen, usize::from(ROWS) - 1).trim().is_empty()
}

/// Vim's is complete once its intro and the last `~` row above the command line are drawn.
fn vim_complete(screen: &str) -> bool {
    screen.contains("VIM - Vi IMproved") && row(screen, usize::from(ROWS) - 2).starts_with('~')
}

/// The reviewer's is complete once its status line (second row from the bottom, naming the
/// hunk) and the key hints below it are drawn.
fn reviewer_complete(screen: &str) -> bool {
    row(screen, usize::from(ROWS) - 2).contains("hunk") && !row(screen, usize::from(ROWS) - 1).trim().is_empty()
}

/// `vim -d`'s is complete once the first row and both windows' status lines are drawn. (Its
/// file messages are turned off: two of them would stop it at a "Press ENTER" prompt.)
fn vimdiff_complete(screen: &str) -> bool {
    let status = row(screen, usize::from(ROWS) - 2);
    status.contains("old.md") && status.contains("new.md") && !row(screen, 0).trim().is_empty()
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

// ───────────────────────────── first frames ─────────────────────────────

/// A project with two saved revisions of D04 of 10,000 lines each, the newer with about 1 % of
/// its lines edited (and a paragraph reflowed, sections moved, renamed, added), and the same two
/// texts as plain files for the other diff tools.
struct ReviewProject {
    project: Project,
    old: PathBuf,
    new: PathBuf,
}

impl ReviewProject {
    fn new() -> ReviewProject {
        let project = Project::new();
        let (old, new) = write_review_project(&project.root, &project.home);
        ReviewProject { project, old, new }
    }
}

/// Writes the two revisions into the project at `root` (and the document file, as saved), and
/// the same texts as old.md and new.md into `beside`; returns those two files.
fn write_review_project(root: &Path, beside: &Path) -> (PathBuf, PathBuf) {
    use spec_interview::core::fsio::Project as Store;
    use spec_interview::core::history::{History, Provenance};
    let (old, new) = documents::revisions(10_000);
    let history = History::open(&Store::new(root), DOC);
    let provenance = Provenance {
        time: "2026-01-02T03:04:05Z".into(),
        author: "Ada".into(),
        git: None,
    };
    for text in [&old, &new] {
        history
            .record(DOC, text, "", ("d04-backend-architecture", "1.0.0"), &provenance)
            .unwrap();
    }
    let file = root.join(DOC);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &new).unwrap();
    let (old_file, new_file) = (beside.join("old.md"), beside.join("new.md"));
    std::fs::write(&old_file, &old).unwrap();
    std::fs::write(&new_file, &new).unwrap();
    (old_file, new_file)
}

#[derive(Default)]
struct Frames {
    interview: Vec<f64>,
    reviewer: Vec<f64>,
    vim: Vec<f64>,
    vimdiff: Vec<f64>,
}

/// Start → last byte of the first complete frame (ms), or `None`.
fn first_frame(program: &Program, project: &Project, extra: &[&str], complete: fn(&str) -> bool) -> Option<f64> {
    let terminal = program.start(project, extra);
    let frame = terminal.frame(0, QUIET_FIRST_FRAME, &complete);
    let started = terminal.started;
    terminal.quit(program.quit);
    frame.map(|f| ms(f.end.duration_since(started)))
}

/// The four first frames, interleaved run by run so that the machine's load weighs on each alike.
/// The first round warms the caches and is not counted.
fn first_frames(runs: usize, vim: Option<&Path>, review: &ReviewProject) -> Frames {
    let mut frames = Frames::default();
    let interview = Program::interview();
    let vim = vim.map(Program::vim);
    for round in 0..=runs {
        let counted = round > 0;
        let fresh = Project::new();
        let time = first_frame(&interview, &fresh, &[], interview_complete);
        push(&mut frames.interview, counted, time);
        let time = first_frame(&interview, &review.project, &["diff"], reviewer_complete);
        push(&mut frames.reviewer, counted, time);
        if let Some(vim) = &vim {
            push(&mut frames.vim, counted, first_frame(vim, &fresh, &[], vim_complete));
            let (old, new) = (review.old.to_string_lossy(), review.new.to_string_lossy());
            let args = ["--cmd", "set shortmess=aoOtTIF", "-d", &old, &new];
            let time = first_frame(vim, &fresh, &args, vimdiff_complete);
            push(&mut frames.vimdiff, counted, time);
        }
    }
    frames
}

fn push(into: &mut Vec<f64>, counted: bool, value: Option<f64>) {
    if counted && let Some(v) = value {
        into.push(v);
    }
}

/// Builds the program as users get it (`cargo build --release`, `cargo run --release`) at the
/// path the benchmark runs: `cargo bench` leaves its own profile's build there, whose function
/// names carry another hash than those `link/code-order.txt` lists, so that it is laid out
/// without that order (see `build.rs`).
fn release_build() {
    eprintln!("e2e: the release build of spec-interview…");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "spec-interview"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("e2e: the release build failed; measuring the benchmark profile's build instead");
    }
}

// ───────────────────────────── typing ─────────────────────────────

struct Typing {
    /// Key → last byte of the answering frame, per typed character (ms).
    latencies: Vec<f64>,
    /// Bytes of each answering frame, per typed character.
    bytes: Vec<usize>,
    /// Keys that got no answer within the patience of a wait.
    unanswered: usize,
    idle: Option<process::Idle>,
    peak: Option<u64>,
}

/// Types the project name and deletes it again, key by key, each key sent once the answer to
/// the one before has ended (its output quiet for `QUIET_KEY`); then the program idles for 5 s.
fn typing(program: &Program, start_keys: Option<&[u8]>) -> Typing {
    let project = Project::new();
    let terminal = program.start(&project, &[]);
    let _ = terminal.frame(0, QUIET_FIRST_FRAME, &program.complete);
    if let Some(keys) = start_keys {
        terminal.send(keys);
        terminal.settle(QUIET_FIRST_FRAME);
    }
    let mut result = Typing {
        latencies: Vec::new(),
        bytes: Vec::new(),
        unanswered: 0,
        idle: None,
        peak: None,
    };
    let key = |byte: u8, record: bool, result: &mut Typing| {
        let mark = terminal.mark();
        let sent = terminal.send(&[byte]);
        match terminal.answer(mark, QUIET_KEY) {
            Some(frame) if record => {
                result.latencies.push(ms(frame.end.duration_since(sent)));
                result.bytes.push(frame.bytes);
            }
            Some(_) => {}
            None => result.unanswered += 1,
        }
    };
    // Warm-up: one name typed and deleted, not counted.
    for &c in NAME {
        key(c, false, &mut result);
    }
    for _ in NAME {
        key(BACKSPACE, false, &mut result);
    }
    while result.latencies.len() < TYPED {
        for &c in NAME {
            key(c, true, &mut result);
        }
        for _ in NAME {
            key(BACKSPACE, false, &mut result);
        }
    }
    // Past the autosave after typing stops, then idle.
    terminal.settle(Duration::from_millis(1500));
    let pid = terminal.pid();
    result.idle = process::idle(pid, IDLE);
    result.peak = process::peak_memory(pid);
    terminal.quit(program.quit);
    result
}

struct ReviewerIdle {
    idle: Option<process::Idle>,
    peak: Option<u64>,
}

fn reviewer_idle(review: &ReviewProject) -> ReviewerIdle {
    let program = Program::interview();
    let terminal = program.start(&review.project, &["diff"]);
    let _ = terminal.frame(0, QUIET_FIRST_FRAME, &reviewer_complete);
    terminal.settle(Duration::from_secs(1));
    let pid = terminal.pid();
    let result = ReviewerIdle {
        idle: process::idle(pid, IDLE),
        peak: process::peak_memory(pid),
    };
    terminal.quit(b"q");
    result
}

// ───────────────────────────── whole commands ─────────────────────────────

struct Render {
    /// `render … -o FILE`: the one atomic write, fsync of the file and its folder included.
    ours: Vec<f64>,
    /// `render …` to standard output: what copier does when it writes its file (no fsync).
    ours_stdout: Vec<f64>,
    copier: Result<Vec<f64>, String>,
    /// Whether both wrote byte for byte the same document.
    same: Option<bool>,
}

/// `render` of D04 from the complete answers to a file, against copier writing the same
/// document from the same answers; three renders per copier run, interleaved.
fn render_vs_copier(runs: usize) -> Render {
    let project = Project::new();
    let env = [
        ("HOME", project.home.as_path()),
        ("XDG_CONFIG_HOME", project.config.as_path()),
    ];
    let ours_file = project.home.join("ours.md");
    let ours_path = ours_file.to_string_lossy().into_owned();
    let render = |counted: bool, into: &mut Vec<f64>| {
        let t = process::time(
            Path::new(BIN),
            &["render", "--answers", COMPLETE, "-o", &ours_path],
            &project.root,
            &env,
            &[0],
        );
        push(into, counted, t.map(ms));
    };
    let render_stdout = |counted: bool, into: &mut Vec<f64>| {
        let t = process::time(
            Path::new(BIN),
            &["render", "--answers", COMPLETE],
            &project.root,
            &env,
            &[0],
        );
        push(into, counted, t.map(ms));
    };
    let mut ours = Vec::new();
    let mut ours_stdout = Vec::new();
    let copier = install_copier();
    let out = project.home.join("copier-out");
    let out_path = out.to_string_lossy().into_owned();
    let copier = copier.map(|copier| {
        let mut times = Vec::new();
        for round in 0..=runs {
            let counted = round > 0;
            for _ in 0..3 {
                render(counted, &mut ours);
                render_stdout(counted, &mut ours_stdout);
            }
            let t = process::time(
                &copier,
                &[
                    "copy",
                    "--defaults",
                    "--overwrite",
                    "--quiet",
                    "--data-file",
                    COPIER_ANSWERS,
                    COPIER_TEMPLATE,
                    &out_path,
                ],
                &project.root,
                &env,
                &[0],
            );
            push(&mut times, counted, t.map(ms));
        }
        times
    });
    if copier.is_err() {
        for round in 0..=runs * 3 {
            render(round > 0, &mut ours);
            render_stdout(round > 0, &mut ours_stdout);
        }
    }
    let same = match (
        std::fs::read(&ours_file),
        std::fs::read(out.join("D04-backend-architecture.md")),
    ) {
        (Ok(a), Ok(b)) => Some(a == b),
        _ => None,
    };
    Render {
        ours,
        ours_stdout,
        copier,
        same,
    }
}

/// copier in a virtualenv under target/, installed there on first use.
fn install_copier() -> Result<PathBuf, String> {
    let target = Path::new(BIN)
        .parent()
        .and_then(Path::parent)
        .ok_or("no target folder")?;
    let venv = target.join("bench-venv");
    let copier = venv.join("bin/copier");
    if copier.is_file() {
        return Ok(copier);
    }
    eprintln!("e2e: installing {COPIER} into {}…", venv.display());
    let python = which("python3").ok_or("python3 is not installed")?;
    let ok = |cmd: &mut Command| cmd.status().is_ok_and(|s| s.success());
    if !ok(Command::new(python).args(["-m", "venv"]).arg(&venv)) {
        return Err("python3 -m venv failed".into());
    }
    if !ok(Command::new(venv.join("bin/pip")).args(["install", "--quiet", COPIER])) {
        return Err(format!("pip install {COPIER} failed"));
    }
    Ok(copier)
}

struct Diff {
    ours: Vec<f64>,
    gnu: Vec<f64>,
    git: Vec<f64>,
}

/// `diff --print` of the two 10,000-line revisions, against GNU `diff -u` and `git diff
/// --no-index` on the same texts, interleaved.
fn diff_vs_peers(runs: usize, review: &ReviewProject) -> Diff {
    let p = &review.project;
    let env = [("HOME", p.home.as_path()), ("XDG_CONFIG_HOME", p.config.as_path())];
    let git_env = [("HOME", p.home.as_path()), ("GIT_CONFIG_NOSYSTEM", Path::new("1"))];
    let (old, new) = (review.old.to_string_lossy(), review.new.to_string_lossy());
    let mut result = Diff {
        ours: Vec::new(),
        gnu: Vec::new(),
        git: Vec::new(),
    };
    let gnu = which("diff");
    let git = which("git");
    for round in 0..=runs * 2 {
        let counted = round > 0;
        let t = process::time(Path::new(BIN), &["diff", "--print"], &p.root, &env, &[1]);
        push(&mut result.ours, counted, t.map(ms));
        if let Some(gnu) = &gnu {
            let t = process::time(gnu, &["-u", &old, &new], &p.root, &env, &[1]);
            push(&mut result.gnu, counted, t.map(ms));
        }
        if let Some(git) = &git {
            let t = process::time(
                git,
                &["diff", "--no-index", "--no-color", &old, &new],
                &p.root,
                &git_env,
                &[1],
            );
            push(&mut result.git, counted, t.map(ms));
        }
    }
    result
}

// ───────────────────────────── the table ─────────────────────────────

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 50.0)
}

/// The nearest-rank percentile.
fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

fn show_ms(v: Option<f64>) -> String {
    match v {
        Some(v) if v < 10.0 => format!("{v:.2} ms"),
        Some(v) => format!("{v:.1} ms"),
        None => "—".into(),
    }
}

fn mb(bytes: Option<u64>) -> String {
    bytes.map_or("—".into(), |b| format!("{:.1} MB", b as f64 / 1e6))
}

fn idle_text(idle: Option<&process::Idle>) -> String {
    idle.map_or("—".into(), |i| {
        format!(
            "{:.3} % ({} wake-up{}, {} tick{})",
            i.percent,
            i.wakeups,
            if i.wakeups == 1 { "" } else { "s" },
            i.ticks,
            if i.ticks == 1 { "" } else { "s" }
        )
    })
}

fn met(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "not measured",
    }
}

fn table(
    frames: &Frames,
    interview: &Typing,
    vim: Option<&Typing>,
    reviewer: &ReviewerIdle,
    render: &Render,
    diff: &Diff,
) -> String {
    let mut t = String::from("| figure | spec-interview | peer, same run | target | met |\n|---|---|---|---|---|\n");
    let mut line = |figure: &str, ours: String, peer: String, target: &str, ok: Option<bool>| {
        let _ = writeln!(t, "| {figure} | {ours} | {peer} | {target} | {} |", met(ok));
    };
    let vim_frame = median(&frames.vim);
    let first = median(&frames.interview);
    line(
        "start → first complete interview frame, 160×48",
        show_ms(first),
        format!("vim -u NONE {}", show_ms(vim_frame)),
        "≤ vim -u NONE",
        first.zip(vim_frame).map(|(a, b)| a <= b),
    );
    let review = median(&frames.reviewer);
    line(
        "reviewer first frame, two 10,000-line revisions",
        show_ms(review),
        format!(
            "vim -u NONE {}; vim -u NONE -d on the same texts {}",
            show_ms(vim_frame),
            show_ms(median(&frames.vimdiff))
        ),
        "≤ vim -u NONE",
        review.zip(vim_frame).map(|(a, b)| a <= b),
    );
    let (p50, p99) = (
        percentile(&interview.latencies, 50.0),
        percentile(&interview.latencies, 99.0),
    );
    let vim_keys = vim.map(|v| (percentile(&v.latencies, 50.0), percentile(&v.latencies, 99.0)));
    line(
        &format!(
            "keystroke → last byte of the answering frame, p50 / p99 ({} keys, project name with the live preview{})",
            interview.latencies.len(),
            if interview.unanswered > 0 {
                format!("; {} unanswered", interview.unanswered)
            } else {
                String::new()
            }
        ),
        format!("{} / {}", show_ms(p50), show_ms(p99)),
        vim_keys.map_or("vim not found".into(), |(a, b)| {
            format!("vim -u NONE (insert mode) {} / {}", show_ms(a), show_ms(b))
        }),
        "≤ 1 ms / ≤ 3 ms",
        p50.zip(p99)
            .map(|(a, b)| a <= TARGET_KEY_P50_MS && b <= TARGET_KEY_P99_MS),
    );
    let per_key =
        |t: &Typing| (!t.bytes.is_empty()).then(|| t.bytes.iter().sum::<usize>() as f64 / t.bytes.len() as f64);
    let ours_bytes = per_key(interview);
    line(
        "bytes written per typed character, 160×48",
        ours_bytes.map_or("—".into(), |b| format!("{b:.0}")),
        vim.and_then(per_key).map_or("—".into(), |b| format!("vim {b:.0}")),
        "≤ 48",
        ours_bytes.map(|b| b <= TARGET_BYTES_PER_KEY),
    );
    line(
        "idle CPU over 5 s, interview / reviewer",
        format!(
            "{} / {}",
            idle_text(interview.idle.as_ref()),
            idle_text(reviewer.idle.as_ref())
        ),
        format!("vim {}", idle_text(vim.and_then(|v| v.idle.as_ref()))),
        "< 0.1 %",
        interview
            .idle
            .as_ref()
            .zip(reviewer.idle.as_ref())
            .map(|(a, b)| a.percent < TARGET_IDLE_PERCENT && b.percent < TARGET_IDLE_PERCENT),
    );
    line(
        "peak memory (VmHWM), interview / reviewer",
        format!("{} / {}", mb(interview.peak), mb(reviewer.peak)),
        format!("vim {}", mb(vim.and_then(|v| v.peak))),
        "≤ 10 MB both",
        interview
            .peak
            .zip(reviewer.peak)
            .map(|(a, b)| a.max(b) as f64 / 1e6 <= TARGET_PEAK_MB),
    );
    let copier = render.copier.as_ref().ok().and_then(|times| median(times));
    let versus = |ours: Option<f64>, what: &str| match &render.copier {
        Ok(_) => {
            let ratio = ours.zip(copier).map(|(a, b)| b / a);
            (
                format!(
                    "copier {} ({}; {})",
                    show_ms(copier),
                    ratio.map_or("—".into(), |r| format!("{r:.0}× slower")),
                    what
                ),
                ratio.map(|r| r >= TARGET_COPIER_RATIO),
            )
        }
        Err(why) => (format!("copier unavailable: {why}"), None),
    };
    let same = match render.same {
        Some(true) => "the same document, byte for byte",
        Some(false) => "**the documents differ: regenerate benches/copier**",
        None => "documents not compared",
    };
    let ours = median(&render.ours);
    let (peer, ok) = versus(ours, same);
    line(
        "headless `render` of D04 to a file (`-o`: atomic write with fsync of file and folder), whole process",
        show_ms(ours),
        peer,
        "≥ 100× faster than copier",
        ok,
    );
    let ours = median(&render.ours_stdout);
    let (peer, ok) = versus(ours, "copier writes its file without fsync");
    line(
        "headless `render` of D04 to standard output, whole process",
        show_ms(ours),
        peer,
        "≥ 100× faster than copier",
        ok,
    );
    let ours = median(&diff.ours);
    let gnu = median(&diff.gnu);
    let git = median(&diff.git);
    let ratio = |peer: Option<f64>| ours.zip(peer).map_or("—".into(), |(a, b)| format!("{:.1}×", a / b));
    line(
        "`diff --print`, two 10,000-line revisions, 1 % of lines edited",
        show_ms(ours),
        format!(
            "GNU diff -u {} (ours {}); git diff --no-index {} (ours {})",
            show_ms(gnu),
            ratio(gnu),
            show_ms(git),
            ratio(git)
        ),
        "≤ 1.5× GNU diff -u",
        ours.zip(gnu).map(|(a, b)| a / b <= TARGET_DIFF_RATIO),
    );
    t
}

// ───────────────────────────── the machine ─────────────────────────────

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// CPU model, cores, memory, OS and the peers' versions, read off the machine.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, v)| v.trim())
        .to_string();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kb: f64 = m.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kb / 1024.0 / 1024.0))
        })
        .unwrap_or_default();
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|o| {
            o.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        })
        .unwrap_or_default();
    let kernel = first_line("uname", &["-r"]);
    let version = |program: &str, args: &[&str]| first_line(program, args);
    format!(
        "Machine: {cpu}, {cores} cores, {memory}, {os}, Linux {kernel}.\nPeers: {}; {}; {}; copier {}.",
        version("vim", &["--version"]),
        version("diff", &["--version"]),
        version("git", &["--version"]),
        Path::new(BIN)
            .parent()
            .and_then(Path::parent)
            .map(|t| first_line(&t.join("bench-venv/bin/copier").to_string_lossy(), &["--version"]))
            .unwrap_or_default()
            .trim_start_matches("copier ")
    )
}

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).lines().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

//! What /proc says about a running program (CPU time, wake-ups, peak memory), and the wall time
//! of a whole command from start to exit.
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// CPU time and context switches of every thread of a process, at one moment.
#[derive(Clone, Copy)]
pub struct Usage {
    /// utime + stime from /proc/PID/stat, in clock ticks (1/100 s on Linux).
    pub ticks: u64,
    /// The sum of the threads' run time from /proc/PID/task/*/schedstat, in nanoseconds.
    pub nanos: u64,
    /// Voluntary and involuntary context switches of all threads: how often it woke up.
    pub switches: u64,
}

pub fn usage(pid: u32) -> Option<Usage> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces), from field 3 on.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let mut nanos = 0;
    let mut switches = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) {
            nanos += text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
        if let Ok(text) = std::fs::read_to_string(task.path().join("status")) {
            switches += text
                .lines()
                .filter(|l| l.starts_with("voluntary_ctxt_switches") || l.starts_with("nonvoluntary_ctxt_switches"))
                .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    Some(Usage { ticks, nanos, switches })
}

/// CPU use while idle: the share of `window` the process ran, and how often it woke up.
pub struct Idle {
    pub percent: f64,
    pub ticks: u64,
    pub wakeups: u64,
}

pub fn idle(pid: u32, window: Duration) -> Option<Idle> {
    let before = usage(pid)?;
    let start = Instant::now();
    std::thread::sleep(window);
    let after = usage(pid)?;
    let elapsed = start.elapsed().as_secs_f64();
    Some(Idle {
        percent: (after.nanos - before.nanos) as f64 / 1e9 / elapsed * 100.0,
        ticks: after.ticks - before.ticks,
        wakeups: after.switches - before.switches,
    })
}

/// Peak resident memory (`VmHWM`) in bytes.
pub fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `program args` in `cwd` with its output thrown away; the wall time from start to exit.
/// `None` when it cannot start or exits with a status outside `ok`.
pub fn time(program: &Path, args: &[&str], cwd: &Path, env: &[(&str, &Path)], ok: &[i32]) -> Option<Duration> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in env {
        cmd.env(name, value);
    }
    let start = Instant::now();
    let status = cmd.status().ok()?;
    let elapsed = start.elapsed();
    status.code().filter(|c| ok.contains(c)).map(|_| elapsed)
}

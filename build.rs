//! Owns the release binary's layout: with LLD (Rust's default linker for x86-64 Linux since
//! 1.90), the functions the interview and the reviewer run are placed together, in the order of
//! `link/code-order.txt` (written by `link/order-code`), and the relocations the loader applies
//! at start are packed (RELR, read by glibc from 2.36). The kernel maps a program's code 64 KB
//! around each page it touches, so code run at start-up that is spread over the whole binary
//! makes all of it resident; gathered, it is a few megabytes. The loader reads every relocation
//! at start: unpacked, they are half a megabyte. Other linkers, other targets and other
//! profiles link as usual.
use std::env;
use std::process::Command;

const ORDER: &str = "link/code-order.txt";

fn main() {
    println!("cargo::rerun-if-changed={ORDER}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    if env::var("PROFILE").as_deref() != Ok("release")
        || env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu")
        || !linked_by_lld()
    {
        return;
    }
    if env::var("HOST") == env::var("TARGET") && glibc_at_least(2, 36) {
        // The program then needs that glibc to start; it runs where it was built.
        println!("cargo::rustc-link-arg-bin=spec-interview=-Wl,-z,pack-relative-relocs");
    }
    let Ok(root) = env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let order = std::path::Path::new(&root).join(ORDER);
    if !order.is_file() {
        return;
    }
    println!(
        "cargo::rustc-link-arg-bin=spec-interview=-Wl,--symbol-ordering-file={}",
        order.display()
    );
    // Functions renamed or gone since the file was written are left out silently.
    println!("cargo::rustc-link-arg-bin=spec-interview=-Wl,--no-warn-symbol-ordering");
}

/// Whether the program is linked by rustc's own LLD: no linker chosen in the configuration or
/// the flags, and a compiler from 1.90 on (where that is the default for this target).
fn linked_by_lld() -> bool {
    if env::var_os("RUSTC_LINKER").is_some() {
        return false;
    }
    // A linker or a linker driver's choice in the flags (`-C linker=`, `-C linker-flavor=`,
    // `-C linker-features=`, `-C link-self-contained=`, `-C link-arg=-fuse-ld=…`).
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|f| flags.contains(f))
    {
        return false;
    }
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-vV").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("release: "))
        .is_some_and(|release| version(release) >= (1, 90))
}

/// Whether this machine's C library is glibc `major.minor` or later (`getconf` says which).
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .strip_prefix("glibc ")
        .is_some_and(|v| version(v) >= (major, minor))
}

/// The major and minor numbers of a version such as "1.91.0-nightly" or "2.36" (0 where one
/// cannot be read).
fn version(text: &str) -> (u32, u32) {
    let mut parts = text.split(['.', '-']).map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

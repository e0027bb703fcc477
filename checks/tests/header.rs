//! The committed `include/portal_codes.h` must be exactly what cbindgen generates from the
//! sources, and must compile cleanly as C11 and C++ with every warning an error.
//!
//! Refresh it with: `PCODES_BLESS=1 cargo test --workspace --all-features --test header`.
//!
//! Its functions must also be exactly those of `include/portal_codes.symbols` (the ABI check),
//! which that command does not refresh; see `committed_symbols_match_header`.
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The library's directory (this test lives in the `checks` workspace member).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("checks/ is inside the library").to_path_buf()
}

fn generate() -> String {
    let root = root();
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut out = Vec::new();
    cbindgen::Builder::new()
        // Only the C API module tree, not the Rust API's public items.
        .with_src(root.join("src/ffi/mod.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut out);
    String::from_utf8(out).expect("UTF-8 header")
}

#[test]
fn committed_header_is_up_to_date() {
    let path = root().join("include/portal_codes.h");
    let fresh = generate();
    if std::env::var_os("PCODES_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write header");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/portal_codes.h is stale: regenerate it with\n    \
         PCODES_BLESS=1 cargo test --workspace --all-features --test header\nand commit the result"
    );
}

/// Every function the header declares, one prototype per line with its whitespace collapsed,
/// sorted by name: comments and preprocessor lines are dropped, and a top-level statement (outside
/// braces) that has parentheses and is not a `typedef` is a function.
fn prototypes(header: &str) -> Vec<String> {
    let mut code = String::new();
    let mut in_comment = false;
    for line in header.lines() {
        let mut line = line;
        if in_comment {
            match line.find("*/") {
                Some(end) => {
                    in_comment = false;
                    line = &line[end + 2..];
                }
                None => continue,
            }
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("/*") {
            code.push_str(&rest[..start]);
            match rest[start..].find("*/") {
                Some(end) => rest = &rest[start + end + 2..],
                None => {
                    in_comment = true;
                    rest = "";
                }
            }
        }
        code.push_str(rest.split("//").next().unwrap());
        code.push(' ');
    }
    let mut found = Vec::new();
    let (mut depth, mut statement, mut in_extern_c) = (0usize, String::new(), false);
    for c in code.chars() {
        match c {
            // `extern "C" {` (for C++) holds top-level declarations; it is not a type's body.
            '{' if depth == 0 && statement.trim() == "extern \"C\"" => {
                in_extern_c = true;
                statement.clear();
                continue;
            }
            '}' if depth == 0 && in_extern_c => {
                in_extern_c = false;
                statement.clear();
                continue;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth == 0 => {
                let s = statement.split_whitespace().collect::<Vec<_>>().join(" ");
                if s.contains('(') && !s.starts_with("typedef") {
                    found.push(format!("{s};"));
                }
                statement.clear();
                continue;
            }
            _ => {}
        }
        statement.push(c);
    }
    let name = |p: &String| p.split('(').next().unwrap().rsplit([' ', '*']).next().unwrap().to_string();
    found.sort_by_key(name);
    found
}

/// The ABI check: `include/portal_codes.symbols` lists every function of the committed header
/// with its prototype. Removing or changing a function breaks the ABI (docs/c-api.md,
/// "Versions"), so the list is never refreshed with the header: update it on purpose, with
/// `PCODES_BLESS_ABI=1 cargo test --workspace --all-features --test header`, and say why in CHANGELOG.md.
#[test]
fn committed_symbols_match_header() {
    let root = root();
    let header = std::fs::read_to_string(root.join("include/portal_codes.h")).expect("header");
    let fresh = prototypes(&header);
    assert!(fresh.len() > 30, "too few functions found in the header: {fresh:?}");
    for p in &fresh {
        assert!(p.contains(" pcodes_") || p.contains("*pcodes_"), "function without the pcodes_ prefix: {p}");
    }
    let path = root.join("include/portal_codes.symbols");
    if std::env::var_os("PCODES_BLESS_ABI").is_some() {
        std::fs::write(&path, fresh.join("\n") + "\n").expect("write symbols");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let committed: Vec<String> = committed.lines().map(String::from).collect();
    let removed: Vec<_> = committed.iter().filter(|l| !fresh.contains(l)).collect();
    let added: Vec<_> = fresh.iter().filter(|l| !committed.contains(l)).collect();
    assert!(
        removed.is_empty() && added.is_empty() && committed == fresh,
        "the header's functions differ from include/portal_codes.symbols:\n\
         only in the symbols list (removed or changed: breaks the ABI):\n  {}\n\
         only in the header (added, or the changed form):\n  {}\n\
         If this is deliberate, record it in CHANGELOG.md (an ABI break bumps the SONAME; see \
         docs/c-api.md, \"Versions\") and refresh the list with\n    \
         PCODES_BLESS_ABI=1 cargo test --workspace --all-features --test header",
        removed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        added.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
}

fn compile(compiler: &str, std_flag: &str, source_ext: &str) {
    if Command::new(compiler).arg("--version").output().is_err() {
        assert!(std::env::var("PCODES_ALLOW_SKIP").as_deref() == Ok("1"), "{compiler} missing");
        eprintln!("skipped: {compiler} not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("pcodes-header-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("use.{source_ext}"));
    std::fs::write(
        &src,
        "#include \"portal_codes.h\"\n\
         int main(void) { return pcodes_state_bytes() == PCODES_STATE_BYTES ? 0 : 1; }\n",
    )
    .unwrap();
    let include: &Path = &root().join("include");
    let out = Command::new(compiler)
        .args([std_flag, "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-I"])
        .arg(include)
        .arg(&src)
        .output()
        .expect("run compiler");
    assert!(out.status.success(), "{compiler} {std_flag}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn header_compiles_as_c11() {
    compile("cc", "-std=c11", "c");
}

#[test]
fn header_compiles_as_cpp() {
    compile("c++", "-std=c++17", "cpp");
}

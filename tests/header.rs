//! The committed `include/portal_codes.h` must be exactly what cbindgen generates from the
//! sources, and must compile cleanly as C11 and C++ with every warning an error.
//!
//! Refresh it with: `PCODES_BLESS=1 cargo test --features capi --test header`.
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
         PCODES_BLESS=1 cargo test --features capi --test header\nand commit the result"
    );
}

fn compile(compiler: &str, std_flag: &str, source_ext: &str) {
    if Command::new(compiler).arg("--version").output().is_err() {
        assert!(std::env::var_os("PCODES_REQUIRE_TOOLS").is_none(), "{compiler} missing");
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

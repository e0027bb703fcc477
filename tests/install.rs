//! `make install` into temporary prefixes, then a small C program built the way C teams build it:
//! `cc app.c $(pkg-config --cflags --libs portal_codes)` against the shared library (found at run
//! time through its SONAME, `libportal_codes.so.MAJOR`, in the run path the `.pc` file adds), and
//! with `pkg-config --static` against the static library; plus `RPATH=no`, `DESTDIR` and `make
//! uninstall`. `private_prefix_the_documented_way` runs docs/c-api.md's commands as written, and
//! `dist::release_tarball` (tests/install/dist.rs) the release tarball's (`make dist`).
//!
//! Needs `make`, `pkg-config`, `cc`, `readelf`, `objdump` and `tar` (Debian `make`, `pkg-config`, `gcc`,
//! `binutils`, `tar`); without them the tests fail, unless `PCODES_ALLOW_SKIP=1`,
//! where they say so loudly and pass. The Makefile builds in `target/capi` (the folder
//! `tests/foreign.rs` uses, so the release dependencies are built once) and copies what it
//! built to `target/capi/make`.
#![cfg(feature = "capi")]

#[path = "install/dist.rs"]
mod dist;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const SONAME: &str = concat!("libportal_codes.so.", env!("CARGO_PKG_VERSION_MAJOR"));
const FULL: &str = concat!(
    "libportal_codes.so.",
    env!("CARGO_PKG_VERSION_MAJOR"),
    ".",
    env!("CARGO_PKG_VERSION_MINOR"),
    ".",
    env!("CARGO_PKG_VERSION_PATCH")
);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether every tool runs; if not, says so on the real stderr (not captured by the test
/// harness) and returns false when `PCODES_ALLOW_SKIP=1`, and fails otherwise.
fn have_tools() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let tools = [
            ("make", "make"),
            ("pkg-config", "pkg-config"),
            ("cc", "gcc"),
            ("readelf", "binutils"),
            ("tar", "tar"),
        ];
        let missing: Vec<_> = tools
            .iter()
            .filter(|(tool, _)| {
                !Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
            })
            .collect();
        if missing.is_empty() {
            return true;
        }
        let names = missing.iter().map(|(t, p)| format!("{t} (Debian package {p})")).collect::<Vec<_>>();
        let required = std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1");
        assert!(!required, "required (PCODES_ALLOW_SKIP is not 1) but missing: {}", names.join(", "));
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED tests/install.rs: not installed: {}. make install is NOT tested. ***\n",
            names.join(", ")
        );
        false
    })
}

fn ok(what: &str, out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcodes-install-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `make <args>` at the repository root, building in `target/capi`.
fn make(args: &[&str]) -> String {
    let out = Command::new("make")
        .arg("-C")
        .arg(root())
        .arg(format!("CARGO_TARGET_DIR={}", root().join("target/capi").display()))
        .args(args)
        .env_remove("MAKEFLAGS")
        .output()
        .expect("run make");
    ok(&format!("make {}", args.join(" ")), out)
}

/// Runs `make` (the build) once for all tests; it takes as long as a release build when the
/// sources changed, and well under a second when they did not.
fn built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        make(&[]);
    });
}

/// `make <target> PREFIX=<dir>/prefix`; returns the prefix.
fn install(target: &str, dir: &Path) -> PathBuf {
    built();
    let prefix = dir.join("prefix");
    make(&[target, &format!("PREFIX={}", prefix.display())]);
    prefix
}

const APP: &str = r#"#include <stdio.h>
#include <string.h>
#include <portal_codes.h>

#define STR_(x) #x
#define STR(x) STR_(x)

int main(void) {
    const char *header = STR(PCODES_VERSION_MAJOR) "." STR(PCODES_VERSION_MINOR) "." STR(PCODES_VERSION_PATCH);
    if (strcmp(pcodes_version(), header) != 0) {
        printf("library %s, header %s\n", pcodes_version(), header);
        return 1;
    }
    uint8_t key[32] = {7};
    pcodes_ctx *ctx = NULL;
    pcodes_status s = pcodes_ctx_new(key, sizeof key, 0, &ctx);
    if (s != PCODES_STATUS_OK || ctx == NULL) {
        printf("pcodes_ctx_new: %s\n", pcodes_status_name(s));
        return 1;
    }
    pcodes_ctx_free(ctx);
    printf("portal_codes %s: ok\n", pcodes_version());
    return 0;
}
"#;

/// `pkg-config <args> portal_codes` against the `.pc` file installed under `prefix`, split into
/// arguments.
fn pkg_config(prefix: &Path, args: &[&str]) -> Vec<String> {
    let out = Command::new("pkg-config")
        .env("PKG_CONFIG_PATH", prefix.join("lib/pkgconfig"))
        .env_remove("PKG_CONFIG_LIBDIR")
        .args(args)
        .arg("portal_codes")
        .output()
        .expect("run pkg-config");
    ok(&format!("pkg-config {}", args.join(" ")), out).split_whitespace().map(String::from).collect()
}

/// Compiles `APP` in `dir` with warnings as errors and the given flags; returns the executable.
fn compile_app(dir: &Path, exe: &str, flags: &[String]) -> PathBuf {
    let src = dir.join("app.c");
    std::fs::write(&src, APP).unwrap();
    let exe = dir.join(exe);
    let out = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg(&src)
        .args(flags)
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("run cc");
    ok(&format!("cc app.c {}", flags.join(" ")), out);
    exe
}

/// `readelf -d`: the dynamic section.
fn dynamic_section(file: &Path) -> String {
    ok("readelf -d", Command::new("readelf").arg("-d").arg(file).output().expect("run readelf"))
}

/// The run path entries (`RUNPATH`, or the older `RPATH`) in a `readelf -d` listing.
fn run_paths(dynamic: &str) -> Vec<String> {
    dynamic
        .lines()
        .filter_map(|l| l.split_once("Library runpath: [").or_else(|| l.split_once("Library rpath: [")))
        .flat_map(|(_, rest)| {
            rest.trim_end().trim_end_matches(']').split(':').map(String::from).collect::<Vec<_>>()
        })
        .collect()
}

/// The shell commands of the ```` ```sh ```` block right after the line
/// `<!-- run by tests/install.rs: <marker> -->` in `doc`.
fn documented_block(doc: &str, marker: &str) -> String {
    let tag = format!("<!-- run by tests/install.rs: {marker} -->\n");
    let (_, after) = doc.split_once(&tag).unwrap_or_else(|| panic!("no `{}` in the document", tag.trim()));
    let body = after.strip_prefix("```sh\n").unwrap_or_else(|| panic!("no ```sh block after {}", tag.trim()));
    body[..body.find("```").expect("unterminated block")].to_string()
}

/// Runs documented commands with `sh -eu` in `cwd`, with only `PATH` and `HOME` in the
/// environment (what the docs mention is set by the commands themselves); returns stdout. `PATH`
/// starts with a folder whose `cargo`, `rustc` and `rustup` only leave a mark and fail, so the
/// commands are shown to need no Rust.
fn run_documented(script: &str, home: &Path, cwd: &Path) -> String {
    let shims = home.join(".no-rust");
    let mark = home.join(".rust-was-called");
    std::fs::create_dir_all(&shims).unwrap();
    for tool in ["cargo", "rustc", "rustup"] {
        let shim = shims.join(tool);
        std::fs::write(&shim, format!("#!/bin/sh\necho {tool} >> '{}'\nexit 99\n", mark.display())).unwrap();
        let mut perms = std::fs::metadata(&shim).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&shim, perms).unwrap();
    }
    let mut path = std::ffi::OsString::from(&shims);
    path.push(":");
    path.push(std::env::var_os("PATH").expect("PATH"));
    let out = Command::new("sh")
        .arg("-euc")
        .arg(script)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .current_dir(cwd)
        .output()
        .expect("run sh");
    let stdout = ok(&format!("the documented commands\n{script}"), out);
    assert!(!mark.exists(), "the documented commands ran {}", std::fs::read_to_string(&mark).unwrap());
    stdout
}

const APP_OUTPUT: &str = concat!("portal_codes ", env!("CARGO_PKG_VERSION"), ": ok");

#[test]
fn shared_library_through_its_soname() {
    if !have_tools() {
        return;
    }
    let dir = scratch("shared");
    let prefix = install("install", &dir);
    let lib = prefix.join("lib");
    assert!(prefix.join("include/portal_codes.h").is_file());
    assert!(lib.join(FULL).is_file());
    assert_eq!(std::fs::read_link(lib.join(SONAME)).unwrap(), Path::new(FULL));
    assert_eq!(std::fs::read_link(lib.join("libportal_codes.so")).unwrap(), Path::new(SONAME));
    assert!(
        dynamic_section(&lib.join(FULL)).contains(&format!("Library soname: [{SONAME}]")),
        "{FULL} has no SONAME {SONAME}"
    );

    let flags = pkg_config(&prefix, &["--cflags", "--libs"]);
    assert_eq!(
        flags,
        [
            format!("-I{}", prefix.join("include").display()),
            format!("-L{}", lib.display()),
            format!("-Wl,-rpath,{}", lib.display()),
            "-lportal_codes".into()
        ]
    );
    let exe = compile_app(&dir, "app_shared", &flags);
    let dynamic = dynamic_section(&exe);
    assert!(
        dynamic.contains(&format!("Shared library: [{SONAME}]")),
        "app does not need {SONAME}:\n{dynamic}"
    );
    assert_eq!(run_paths(&dynamic), [lib.display().to_string()], "{dynamic}");

    // At run time only SONAME -> full name is needed: the `.so` symlink is for the linker; and
    // the run path is enough, with nothing in the environment.
    std::fs::remove_file(lib.join("libportal_codes.so")).unwrap();
    let out = ok("app (shared)", Command::new(&exe).env_clear().output().expect("run app"));
    assert_eq!(out.trim(), APP_OUTPUT);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `RPATH=no`: no run path in the `.pc` file or the program, which then needs `LD_LIBRARY_PATH`
/// (or `ldconfig`), as docs/c-api.md says.
#[test]
fn no_run_path_with_rpath_no() {
    if !have_tools() {
        return;
    }
    let dir = scratch("norpath");
    built();
    let prefix = dir.join("prefix");
    make(&["install", &format!("PREFIX={}", prefix.display()), "RPATH=no"]);
    let lib = prefix.join("lib");
    let flags = pkg_config(&prefix, &["--cflags", "--libs"]);
    assert_eq!(
        flags,
        [
            format!("-I{}", prefix.join("include").display()),
            format!("-L{}", lib.display()),
            "-lportal_codes".into()
        ]
    );
    let exe = compile_app(&dir, "app_norpath", &flags);
    let dynamic = dynamic_section(&exe);
    assert!(run_paths(&dynamic).is_empty(), "app has a run path:\n{dynamic}");

    // Without a library path the loader looks for the SONAME and, unless a copy is installed
    // system-wide, does not find it.
    let run = Command::new(&exe).env_clear().output().expect("run app");
    if run.status.success() {
        let _ = writeln!(
            std::io::stderr(),
            "note: {SONAME} is installed system-wide; the app ran without a path"
        );
    } else {
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(SONAME), "expected the loader to miss {SONAME}:\n{err}");
    }
    let out = ok(
        "app (LD_LIBRARY_PATH)",
        Command::new(&exe).env_clear().env("LD_LIBRARY_PATH", &lib).output().expect("run app"),
    );
    assert_eq!(out.trim(), APP_OUTPUT);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two blocks of docs/c-api.md, "Installing and linking", that take a C program from the
/// source tree to a running program in a private prefix: the first is `make install PREFIX=…`
/// (run here with the build folder the other tests use), the second runs as written in a shell
/// whose environment holds only `PATH` and `HOME`. Also: the README shows the same compile command.
#[test]
fn private_prefix_the_documented_way() {
    if !have_tools() {
        return;
    }
    let dir = scratch("documented");
    let home = dir.join("home");
    let doc = std::fs::read_to_string(root().join("docs/c-api.md")).unwrap();
    let install_block = documented_block(&doc, "private prefix, install");
    let install_cmd = install_block.split('#').next().unwrap().trim();
    assert_eq!(install_cmd, "make && make install PREFIX=$HOME/opt/portal_codes");
    let prefix = home.join("opt/portal_codes");
    built();
    make(&["install", &format!("PREFIX={}", prefix.display())]);

    let use_block = documented_block(&doc, "private prefix, use");
    let project = home.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("app.c"), APP).unwrap();
    let out = run_documented(&use_block, &home, &project);
    assert_eq!(out.trim(), APP_OUTPUT);
    let dynamic = dynamic_section(&project.join("app"));
    assert!(dynamic.contains(&format!("Shared library: [{SONAME}]")), "{dynamic}");
    assert_eq!(run_paths(&dynamic), [prefix.join("lib").display().to_string()], "{dynamic}");

    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let cc: Vec<_> = use_block.lines().filter(|l| l.starts_with("cc ")).collect();
    assert_eq!(cc.len(), 1, "{use_block}");
    assert!(readme.contains(cc[0]), "README.md does not show `{}`", cc[0]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `pkg-config --static` adds `Libs.private`, but the linker still prefers `libportal_codes.so`
/// when both libraries are in the folder; so the static library is installed alone
/// (`make install-static`), as README "Using it from C" says.
#[test]
fn static_library_through_pkg_config_static() {
    if !have_tools() {
        return;
    }
    let dir = scratch("static");
    let prefix = install("install-static", &dir);
    assert!(prefix.join("lib/libportal_codes.a").is_file());
    assert!(!prefix.join("lib/libportal_codes.so").exists());
    let flags = pkg_config(&prefix, &["--static", "--cflags", "--libs"]);
    assert!(flags.len() > 3, "no Libs.private in {flags:?}");
    let exe = compile_app(&dir, "app_static", &flags);
    let dynamic = dynamic_section(&exe);
    assert!(!dynamic.contains("libportal_codes"), "app is linked to the shared library:\n{dynamic}");
    let out = ok("app (static)", Command::new(&exe).env_clear().output().expect("run app"));
    assert_eq!(out.trim(), APP_OUTPUT);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn destdir_and_uninstall() {
    if !have_tools() {
        return;
    }
    let dir = scratch("destdir");
    built();
    let stage = dir.join("stage");
    make(&[
        "install",
        "PREFIX=/usr",
        "LIBDIR=/usr/lib/x86_64-linux-gnu",
        &format!("DESTDIR={}", stage.display()),
    ]);
    let pc =
        std::fs::read_to_string(stage.join("usr/lib/x86_64-linux-gnu/pkgconfig/portal_codes.pc")).unwrap();
    assert!(pc.contains("\nlibdir=/usr/lib/x86_64-linux-gnu\n"), "{pc}");
    assert!(pc.contains("\nincludedir=/usr/include\n"), "{pc}");
    assert!(pc.contains(concat!("\nVersion: ", env!("CARGO_PKG_VERSION"), "\n")), "{pc}");
    assert!(!pc.contains('@'), "unsubstituted template variable:\n{pc}");
    // A folder the loader searches by itself: no run path.
    assert!(pc.contains("\nLibs: -L${libdir} -lportal_codes\n"), "{pc}");
    assert!(stage.join("usr/include/portal_codes.h").is_file());
    assert!(stage.join("usr/lib/x86_64-linux-gnu").join(FULL).is_file());

    make(&[
        "uninstall",
        "PREFIX=/usr",
        "LIBDIR=/usr/lib/x86_64-linux-gnu",
        &format!("DESTDIR={}", stage.display()),
    ]);
    assert!(files_under(&stage).is_empty(), "make uninstall left {:?}", files_under(&stage));

    // /usr/local is not one of the loader's own folders: the run path is there.
    make(&["install", "PREFIX=/usr/local", &format!("DESTDIR={}", stage.display())]);
    let pc = std::fs::read_to_string(stage.join("usr/local/lib/pkgconfig/portal_codes.pc")).unwrap();
    assert!(pc.contains("\nLibs: -L${libdir} -Wl,-rpath,${libdir} -lportal_codes\n"), "{pc}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file (or symlink) under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut left = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() { stack.push(p) } else { left.push(p) }
        }
    }
    left.sort();
    left
}

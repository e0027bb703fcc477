//! The Java binding in `bindings/java`, the way a Java team gets it (issues 15 and 21):
//!
//! 1. `make java-natives` (`tools/java-natives.sh`) builds the native libraries the jar carries,
//!    for Linux x86-64 and aarch64 against glibc 2.17 (cargo-zigbuild and Zig from PyPI);
//! 2. the README's offline build, `mvn -o -Pdebian-offline -Dmaven.repo.local=/usr/share/maven-repo
//!    package`, compiles the binding, runs every JUnit 5 test against the x86-64 library loaded
//!    from the class path, and makes the jar;
//! 3. the jar's two libraries, taken out of the jar, are checked with binutils: ELF machine,
//!    highest `GLIBC_` symbol version (`objdump -T`, at most 2.17), shared libraries needed;
//! 4. the plain class-path route of `bindings/java/README.md` (`javac`, then `java`, with the jar
//!    and `/usr/share/java/jna.jar`) runs exactly as written there, and JNA loads the library
//!    from inside the jar;
//! 5. the aarch64 library, out of the jar, runs C programs under qemu-user.
//!
//! Needs Maven and Debian's Java packages ([`JAVA_PACKAGES`]), `make`, binutils and a `python3`
//! that makes virtual environments (Debian `python3-venv`), plus PyPI the first time; without
//! them (and Debian's `qemu-user` and `libc6-arm64-cross` for 5.) the tests fail, unless `PCODES_ALLOW_SKIP=1`, where they say so and pass. Everything is
//! built in `target/capi` (shared with `tests/foreign.rs` and `tests/install.rs`).
#![cfg(feature = "capi")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn capi_target() -> PathBuf {
    root().join("target/capi")
}

/// What the offline Maven build reads from Debian's local repository `/usr/share/maven-repo`,
/// and what the native build and its checks run: (a file or folder that must be there, the
/// Debian package that installs it).
const JAVA_PACKAGES: &[(&str, &str)] = &[
    ("/usr/bin/mvn", "maven"),
    ("/usr/bin/javac", "default-jdk-headless"),
    ("/usr/share/java/jna.jar", "libjna-java"),
    ("/usr/share/maven-repo/net/java/dev/jna/jna/debian", "libjna-java"),
    ("/usr/share/maven-repo/org/junit/jupiter/junit-jupiter-engine/debian", "junit5"),
    ("/usr/share/maven-repo/org/apache/maven/plugins/maven-surefire-plugin/2.22.3", "libsurefire-java"),
    (
        "/usr/share/maven-repo/org/apache/maven/plugins/maven-compiler-plugin/3.10.1",
        "libmaven-compiler-plugin-java",
    ),
    ("/usr/share/maven-repo/org/apache/maven/plugins/maven-jar-plugin/3.3.0", "libmaven-jar-plugin-java"),
    (
        "/usr/share/maven-repo/org/apache/maven/plugins/maven-resources-plugin/3.3.0",
        "libmaven-resources-plugin-java",
    ),
    ("/usr/bin/make", "make"),
    ("/usr/bin/objdump", "binutils"),
    ("/usr/bin/readelf", "binutils"),
];

/// Whether everything is there; if not, fails, unless `PCODES_ALLOW_SKIP=1`, where it says so
/// and returns false.
fn have_java() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let mut missing: Vec<&str> =
            JAVA_PACKAGES.iter().filter(|(path, _)| !Path::new(path).exists()).map(|&(_, p)| p).collect();
        let venv = Command::new("python3").args(["-c", "import ensurepip, venv"]).output();
        if !venv.is_ok_and(|o| o.status.success()) {
            missing.push("python3-venv");
        }
        missing.dedup();
        if missing.is_empty() {
            return true;
        }
        let packages = missing.join(" ");
        let required = std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1");
        assert!(
            !required,
            "required (PCODES_ALLOW_SKIP is not 1) but Debian packages are missing: {packages}"
        );
        eprintln!("skipped: the Java binding's build (Debian packages missing: {packages})");
        false
    })
}

fn ok(what: &str, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `make java-natives` into `target/capi/make/jna`; returns that folder.
fn natives() -> PathBuf {
    let out = Command::new("make")
        .arg("-C")
        .arg(root())
        .arg("java-natives")
        .env("CARGO_TARGET_DIR", capi_target())
        .output()
        .expect("run make java-natives");
    let stdout = ok("make java-natives", &out);
    print!("{stdout}");
    capi_target().join("make/jna")
}

/// The Maven build, once per run: (the jar, Maven's output), or why it failed.
fn maven() -> &'static (PathBuf, String) {
    static BUILD: OnceLock<Result<(PathBuf, String), String>> = OnceLock::new();
    let built = BUILD.get_or_init(|| {
        std::panic::catch_unwind(|| {
            let natives = natives();
            let project = root().join("bindings/java");
            let build = capi_target().join("java");
            let _ = std::fs::remove_dir_all(&build); // Debian has no maven-clean-plugin
            let out = Command::new("mvn")
                .current_dir(&project)
                .args(["-o", "-B", "-Pdebian-offline", "-Dmaven.repo.local=/usr/share/maven-repo"])
                .arg(format!("-Dnative.dir={}", natives.display()))
                .arg(format!("-Dbuild.dir={}", build.display()))
                .arg("package")
                .output()
                .expect("run mvn");
            let stdout = ok("mvn package", &out);
            (build.join(format!("portal-codes-{}.jar", env!("CARGO_PKG_VERSION"))), stdout)
        })
        .map_err(|e| e.downcast_ref::<String>().cloned().unwrap_or_else(|| "the Java build panicked".into()))
    });
    match built {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    }
}

/// Asserts that every line in `want` appears in `out`.
fn expect(out: &str, want: &[&str]) {
    for w in want {
        assert!(out.contains(w), "missing {w:?} in:\n{out}");
    }
}

/// The binding built as its README says, offline from Debian's packages, with the libraries
/// `make java-natives` just built. That compiles it (warnings are errors), runs every JUnit 5
/// test (each call of the binding, the drift tests against `include/portal_codes.h`, close under
/// concurrent calls, both libraries in the build) and makes the jar.
#[test]
fn java_maven_build_and_junit() {
    if !have_java() {
        return;
    }
    let version = env!("CARGO_PKG_VERSION");
    // The project's own <version> is the pom's first one.
    let pom = std::fs::read_to_string(root().join("bindings/java/pom.xml")).unwrap();
    let pom_version = pom.split("<version>").nth(1).and_then(|v| v.split("</version>").next());
    assert_eq!(pom_version, Some(version), "bindings/java/pom.xml's version must be Cargo.toml's");

    let (jar, stdout) = maven();
    assert!(jar.is_file(), "no {}", jar.display());
    // Surefire's summary: every test ran and passed.
    let summary = stdout
        .lines()
        .filter_map(|l| l.split("Tests run: ").nth(1))
        .next_back()
        .unwrap_or_else(|| panic!("no test summary in:\n{stdout}"));
    let ran: u32 = summary.split(',').next().unwrap().trim().parse().unwrap();
    assert!(summary.contains("Failures: 0, Errors: 0, Skipped: 0"), "{summary}\n{stdout}");
    assert!(ran >= 30, "only {ran} JUnit tests ran:\n{stdout}");
    for class in [
        "BudgetTest",
        "BundledLibraryTest",
        "ContextTest",
        "ContextThreadsTest",
        "DriftTest",
        "ExceptionTest",
        "LinkTest",
        "OtpTest",
        "PinTest",
        "StateTest",
        "TotpTest",
    ] {
        assert!(stdout.contains(&format!("ru.portal.codes.{class}")), "{class} did not run:\n{stdout}");
    }
}

/// The glibc the jar's libraries need: the highest `GLIBC_x.y[.z]` version `objdump -T` lists.
fn max_glibc(objdump: &str) -> Option<Vec<u32>> {
    objdump
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|w| w.strip_prefix("GLIBC_"))
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit())) // not GLIBC_PRIVATE
        .map(|v| v.split('.').map(|n| n.parse::<u32>().unwrap_or_else(|_| panic!("version {v:?}"))).collect())
        .max()
}

#[test]
fn max_glibc_reads_objdump() {
    let sample = "0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.14) memcpy\n\
                  0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.2.5) memset\n\
                  0000000000000000  w   DF *UND*\t0000000000000000  GLIBC_2.34  __cxa_finalize\n";
    assert_eq!(max_glibc(sample), Some(vec![2, 34]));
    assert_eq!(max_glibc("no versions"), None);
    assert_eq!(max_glibc("(GLIBC_PRIVATE) _dl_x\n(GLIBC_2.3.4) f"), Some(vec![2, 3, 4]));
}

/// The jar's native libraries, checked to be exactly the two expected, taken out of the jar into
/// `target/capi/<folder>` (which is returned).
fn jar_natives(folder: &str) -> PathBuf {
    let (jar, _) = maven();
    let dir = capi_target().join(folder);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let listing = ok("jar tf", &Command::new("jar").arg("tf").arg(jar).output().expect("run jar"));
    let mut natives: Vec<&str> = listing.lines().filter(|l| l.ends_with(".so")).collect();
    natives.sort();
    assert_eq!(natives, ["linux-aarch64/libportal_codes.so", "linux-x86-64/libportal_codes.so"], "{listing}");
    ok("jar xf", &Command::new("jar").current_dir(&dir).arg("xf").arg(jar).args(&natives).output().unwrap());
    dir
}

/// Each library inside the jar (taken out of the jar itself) is an ELF64 shared object for its
/// folder's processor, needs glibc 2.17 at most by its symbol versions (`objdump -T`), and needs
/// no shared library but glibc's and libgcc_s: nothing to install on a server with glibc 2.17 or
/// later (RHEL/CentOS 7+, Debian 8+, Ubuntu 14.04+) but the jar and JNA.
#[test]
fn java_jar_libraries_need_glibc_2_17_at_most() {
    if !have_java() {
        return;
    }
    let dir = jar_natives("java-jar-contents");

    for (so, machine) in [
        ("linux-x86-64/libportal_codes.so", "Advanced Micro Devices X86-64"),
        ("linux-aarch64/libportal_codes.so", "AArch64"),
    ] {
        let path = dir.join(so);
        let header = ok("readelf -h", &Command::new("readelf").arg("-h").arg(&path).output().unwrap());
        let field = |name: &str| {
            header
                .lines()
                .find_map(|l| l.trim().strip_prefix(name))
                .map(str::trim)
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(field("Machine:"), machine, "{so}:\n{header}");
        assert_eq!(field("Class:"), "ELF64", "{so}:\n{header}");
        assert_eq!(field("Type:"), "DYN (Shared object file)", "{so}:\n{header}");

        let symbols = ok("objdump -T", &Command::new("objdump").arg("-T").arg(&path).output().unwrap());
        let max = max_glibc(&symbols).unwrap_or_else(|| panic!("{so}: no GLIBC_ version:\n{symbols}"));
        assert!(max <= vec![2, 17], "{so} needs GLIBC_{max:?}, above 2.17:\n{symbols}");
        assert!(!symbols.contains("GLIBC_PRIVATE"), "{so} uses glibc's private symbols:\n{symbols}");
        // The functions a host calls are exported.
        assert!(symbols.contains(" pcodes_otp_verify\n"), "{so} does not export pcodes_otp_verify");

        let dynamic = ok("readelf -d", &Command::new("readelf").arg("-d").arg(&path).output().unwrap());
        for lib in dynamic.lines().filter(|l| l.contains("(NEEDED)")) {
            let name = lib.split('[').nth(1).and_then(|n| n.strip_suffix(']')).unwrap();
            let base =
                ["libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libgcc_s.so.1"];
            assert!(
                base.contains(&name) || name.starts_with("ld-linux-"),
                "{so} needs {name}, which is not glibc's or libgcc_s:\n{dynamic}"
            );
        }
        println!("{so}: {machine}, GLIBC_{}", max.iter().map(u32::to_string).collect::<Vec<_>>().join("."));
    }
}

/// The commands of the first `sh` block after `heading` in `bindings/java/README.md`, one per
/// line, without comments and blank lines.
fn readme_commands(heading: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("bindings/java/README.md")).unwrap();
    let section = readme.split_once(heading).unwrap_or_else(|| panic!("no {heading:?} in the README")).1;
    let block = section.split_once("```sh\n").unwrap().1.split_once("```").unwrap().0;
    block.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// The README's route without Maven: a folder holding the jar and `Quickstart.java`, compiled
/// with `javac` and run with `java` against the jar and Debian's `/usr/share/java/jna.jar`,
/// exactly the README's commands (read from it), with nothing else set: no `LD_LIBRARY_PATH`, no
/// `jna.library.path`. `JAVA_TOOL_OPTIONS=-Djna.debug_load=true` makes JNA say where it found
/// the library: inside the jar, under `linux-x86-64/`.
#[test]
fn java_classpath_route_as_documented() {
    if !have_java() {
        return;
    }
    let commands = readme_commands("## Without Maven: the jar on the class path");
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("javac ") && commands[1].starts_with("java "), "{commands:?}");

    let (jar, _) = maven();
    let dir = capi_target().join("java-classpath");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(jar, dir.join(jar.file_name().unwrap())).unwrap();
    std::fs::copy(root().join("bindings/java/examples/Quickstart.java"), dir.join("Quickstart.java"))
        .unwrap();

    let run = |command: &str| {
        Command::new("sh")
            .current_dir(&dir)
            .args(["-c", command])
            .env_remove("LD_LIBRARY_PATH")
            .env_remove("CLASSPATH")
            .env("JAVA_TOOL_OPTIONS", "-Djna.debug_load=true")
            .output()
            .expect("run sh")
    };
    ok(&commands[0], &run(&commands[0]));
    let out = run(&commands[1]);
    let stdout = ok(&commands[1], &out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    expect(
        &stdout,
        &[
            "portal-codes 0.1.0: sent 6 digits",
            "next send -> in 60 s",
            "typo -> PCODES_STATUS_MISTYPED",
            "right code -> accepted (blob stored with compare-and-swap)",
            "generated PIN: 6 digits, hash $pcodes-pin$...",
            "PIN hashed through the HSM verified in memory, and the other way round",
            "bug -> PCODES_STATUS_INVALID_ARGUMENT, detail: now: must be 1 ..= 253402300799",
        ],
    );
    let copied = std::fs::canonicalize(dir.join(jar.file_name().unwrap())).unwrap();
    assert!(
        stderr.contains(&format!(
            "Found library resource at jar:file:{}!/linux-x86-64/libportal_codes.so",
            copied.display()
        )),
        "the library was not loaded from the jar:\n{stderr}"
    );
}

/// What running aarch64 programs here takes: (a file that must be there, its Debian package).
const QEMU_PACKAGES: &[(&str, &str)] =
    &[("/usr/bin/qemu-aarch64", "qemu-user"), ("/usr/aarch64-linux-gnu/lib/libc.so.6", "libc6-arm64-cross")];

/// `src` and, for `tests/c/hostile.c`, its parts `tests/c/hostile_*.c` (one program, split by
/// concern; `tests/foreign.rs` compiles the same files).
fn c_parts(src: &str) -> Vec<PathBuf> {
    let mut parts = vec![root().join(src)];
    if src == "tests/c/hostile.c" {
        let mut more: Vec<PathBuf> = std::fs::read_dir(root().join("tests/c"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with("hostile_"))
            .filter(|p| p.extension().is_some_and(|e| e == "c"))
            .collect();
        more.sort();
        assert!(more.len() >= 5, "the parts of tests/c/hostile.c: {more:?}");
        parts.extend(more);
    }
    parts
}

/// The jar's aarch64 library, run: no aarch64 JVM is at hand, so C programs are cross-compiled
/// with the same Zig (`zig cc -target aarch64-linux-gnu.2.17`) against the library taken out of
/// the jar, and run under qemu-user with Debian's aarch64 glibc: `tests/c/hostile.c` (every
/// exported function, with hostile arguments) and `examples/c/otp_demo.c` (an SMS code's life,
/// compare-and-swap included). What this does not run is JNA's own aarch64 loading; that JNA
/// looks in `linux-aarch64/` there is `BundledLibraryTest`'s check against JNA's mapping.
#[test]
fn java_jar_aarch64_library_runs_under_qemu() {
    if !have_java() {
        return;
    }
    let missing: Vec<&str> =
        QEMU_PACKAGES.iter().filter(|(path, _)| !Path::new(path).exists()).map(|&(_, p)| p).collect();
    if !missing.is_empty() {
        let packages = missing.join(" ");
        let required = std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1");
        assert!(
            !required,
            "required (PCODES_ALLOW_SKIP is not 1) but Debian packages are missing: {packages}"
        );
        eprintln!("skipped: running the aarch64 library (Debian packages missing: {packages})");
        return;
    }
    let dir = jar_natives("java-aarch64").join("linux-aarch64");
    let python = root().join("target/zig-venv/bin/python3"); // made by tools/java-natives.sh
    // (program, its least number of checks, lines it must print)
    for (src, least, want) in [
        ("tests/c/hostile.c", 1000, &[][..]),
        (
            "examples/c/otp_demo.c",
            30,
            &[
                "-> PCODES_STATUS_MISTYPED",
                "verify with compare-and-swap -> PCODES_STATUS_OK (its blob stored)",
            ],
        ),
    ] {
        let exe = dir.join(Path::new(src).file_stem().unwrap());
        let cc = Command::new(&python)
            .args(["-m", "ziglang", "cc", "-target", "aarch64-linux-gnu.2.17", "-std=c11", "-O1", "-I"])
            .arg(root().join("include"))
            .args(c_parts(src))
            .arg("-L")
            .arg(&dir)
            .args(["-lportal_codes", "-o"])
            .arg(&exe)
            .output()
            .expect("run zig cc");
        ok(&format!("zig cc {src}"), &cc);
        let run = Command::new("qemu-aarch64")
            .args(["-L", "/usr/aarch64-linux-gnu", "-E"])
            .arg(format!("LD_LIBRARY_PATH={}", dir.display()))
            .arg(&exe)
            .output()
            .expect("run qemu-aarch64");
        let stdout = ok(&format!("{src} under qemu-aarch64"), &run);
        let passed = stdout.lines().rev().find_map(|l| l.strip_suffix(" passed, 0 failed"));
        let passed: u32 =
            passed.and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{src}: no count:\n{stdout}"));
        assert!(passed >= least, "{src}: only {passed} checks ran:\n{stdout}");
        expect(&stdout, want);
        println!("aarch64 {src}: {passed} passed, 0 failed");
    }
}

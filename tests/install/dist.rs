//! `make dist`: the release tarball a C team uses without Rust (docs/c-api.md, "Installing and
//! linking"). Built, listed, unpacked, and then used the way its own README.md says.

use super::*;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// rustc's host triple, which `make dist` puts in the tarball's name.
fn host_triple() -> String {
    let out = ok("rustc -vV", Command::new("rustc").arg("-vV").output().expect("run rustc"));
    out.lines().find_map(|l| l.strip_prefix("host: ")).expect("host line").trim().to_string()
}

/// `make dist DISTDIR=<dir>`; returns the one file it wrote there.
fn make_dist(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    make(&["dist", &format!("DISTDIR={}", dir.display())]);
    let written: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(written.len(), 1, "make dist wrote {written:?}");
    written.into_iter().next().unwrap()
}

/// `tar -tvzf`, one line per entry: `<type><mode> <path>[ -> <target>]`, owner checked to be 0/0.
fn listing(tarball: &Path) -> Vec<String> {
    let out = ok("tar -tvzf", Command::new("tar").arg("-tvzf").arg(tarball).output().expect("run tar"));
    out.lines()
        .map(|l| {
            let f: Vec<_> = l.split_whitespace().collect();
            assert!(f.len() >= 6, "unexpected tar line {l}");
            assert_eq!(f[1], "0/0", "not owned by root: {l}");
            format!("{} {}", f[0], f[5..].join(" "))
        })
        .collect()
}

/// The newest `GLIBC_x.y[.z]` version among the dynamic symbols of `lib` (`readelf --dyn-syms`).
fn newest_glibc(lib: &Path) -> String {
    let out = ok(
        "readelf --dyn-syms",
        Command::new("readelf").args(["--dyn-syms", "-W"]).arg(lib).output().expect("run readelf"),
    );
    let mut versions: Vec<Vec<u32>> = out
        .split("@GLIBC_")
        .skip(1)
        .filter_map(|rest| {
            let v: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            let parts: Result<Vec<u32>, _> = v.split('.').map(str::parse).collect();
            parts.ok()
        })
        .collect();
    versions.sort();
    let newest = versions.last().expect("no GLIBC_ symbol versions");
    newest.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

#[test]
fn release_tarball() {
    if !have_tools() {
        return;
    }
    built();
    let dir = scratch("dist");
    let name = format!("portal_codes-{VERSION}-{}", host_triple());
    let tarball = make_dist(&dir.join("out"));
    assert_eq!(tarball.file_name().unwrap().to_str().unwrap(), format!("{name}.tar.gz"));
    // Reproducible for one build: a second run writes the same bytes.
    let again = make_dist(&dir.join("again"));
    assert!(
        std::fs::read(&tarball).unwrap() == std::fs::read(&again).unwrap(),
        "make dist is not reproducible"
    );

    // Exactly these entries, with these modes and link targets, all under one folder.
    let mut expected = vec![
        format!("drwxr-xr-x {name}/"),
        format!("-rw-r--r-- {name}/CHANGELOG.md"),
        format!("-rw-r--r-- {name}/LICENSE-APACHE"),
        format!("-rw-r--r-- {name}/LICENSE-MIT"),
        format!("-rw-r--r-- {name}/README.md"),
        format!("drwxr-xr-x {name}/docs/"),
        format!("-rw-r--r-- {name}/docs/c-api.md"),
        format!("-rw-r--r-- {name}/docs/device-trust.md"),
        format!("-rw-r--r-- {name}/docs/revoke.md"),
        format!("-rw-r--r-- {name}/docs/upgrading.md"),
        format!("-rw-r--r-- {name}/docs/verdicts.md"),
        format!("drwxr-xr-x {name}/include/"),
        format!("-rw-r--r-- {name}/include/portal_codes.h"),
        format!("-rwxr-xr-x {name}/install.sh"),
        format!("drwxr-xr-x {name}/lib/"),
        format!("-rw-r--r-- {name}/lib/libportal_codes.a"),
        format!("lrwxrwxrwx {name}/lib/libportal_codes.so -> {SONAME}"),
        format!("lrwxrwxrwx {name}/lib/{SONAME} -> {FULL}"),
        format!("-rwxr-xr-x {name}/lib/{FULL}"),
        format!("drwxr-xr-x {name}/lib/pkgconfig/"),
        format!("-rw-r--r-- {name}/lib/pkgconfig/portal_codes.pc"),
    ];
    let mut listed = listing(&tarball);
    expected.sort();
    listed.sort();
    assert_eq!(listed, expected);

    // Unpacked: the same bytes as the sources and the build, the SONAME, the symlinks.
    let unpacked = dir.join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    ok("tar -x", Command::new("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&unpacked).output().unwrap());
    let top = unpacked.join(&name);
    let built_dir = root().join("target/capi/make");
    for (shipped, source) in [
        ("include/portal_codes.h", root().join("include/portal_codes.h")),
        ("CHANGELOG.md", root().join("CHANGELOG.md")),
        ("LICENSE-MIT", root().join("LICENSE-MIT")),
        ("LICENSE-APACHE", root().join("LICENSE-APACHE")),
        ("docs/c-api.md", root().join("docs/c-api.md")),
        ("docs/verdicts.md", root().join("docs/verdicts.md")),
        ("docs/upgrading.md", root().join("docs/upgrading.md")),
        ("docs/revoke.md", root().join("docs/revoke.md")),
        ("docs/device-trust.md", root().join("docs/device-trust.md")),
        ("lib/libportal_codes.a", built_dir.join("libportal_codes.a")),
        (&format!("lib/{FULL}"), built_dir.join(FULL)),
    ] {
        assert!(
            std::fs::read(top.join(shipped)).unwrap() == std::fs::read(&source).unwrap(),
            "{shipped} differs"
        );
    }
    let lib = top.join("lib");
    assert!(dynamic_section(&lib.join(FULL)).contains(&format!("Library soname: [{SONAME}]")), "no SONAME");
    assert_eq!(std::fs::read_link(lib.join(SONAME)).unwrap(), Path::new(FULL));
    assert_eq!(std::fs::read_link(lib.join("libportal_codes.so")).unwrap(), Path::new(SONAME));
    let pc = std::fs::read_to_string(lib.join("pkgconfig/portal_codes.pc")).unwrap();
    assert!(pc.contains("\nprefix=${pcfiledir}/../..\n"), "{pc}");
    assert!(pc.contains("\nLibs: -L${libdir} -Wl,-rpath,${libdir} -lportal_codes\n"), "{pc}");
    let readme = std::fs::read_to_string(top.join("README.md")).unwrap();
    let install_sh = std::fs::read_to_string(top.join("install.sh")).unwrap();
    for (file, text) in [("README.md", &readme), ("install.sh", &install_sh), ("portal_codes.pc", &pc)] {
        assert!(
            !text.contains("@VERSION@") && !text.contains("@SONAME@") && !text.contains("@GLIBC@"),
            "{file}"
        );
        assert!(!text.contains(root().to_str().unwrap()), "{file} names the build tree");
    }
    // The shipped pages link only to each other (a link into the source tree, `../src/…`, is
    // the one kind allowed to leave the folder).
    for page in [
        "README.md",
        "docs/c-api.md",
        "docs/verdicts.md",
        "docs/upgrading.md",
        "docs/revoke.md",
        "docs/device-trust.md",
    ] {
        let text = std::fs::read_to_string(top.join(page)).unwrap();
        let base = top.join(page).parent().unwrap().to_path_buf();
        // Inline links, and reference-style definitions (`[verdicts.md]: verdicts.md`).
        let inline = text.split("](").skip(1).map(|r| &r[..r.find(')').unwrap()]);
        let defined = text
            .lines()
            .filter(|l| l.starts_with('['))
            .filter_map(|l| l.split_once("]: "))
            .map(|d| d.1.trim());
        for link in inline.chain(defined) {
            let file = link.split('#').next().unwrap();
            if file.is_empty() || link.starts_with("http") || file.starts_with("../src/") {
                continue;
            }
            assert!(base.join(file).is_file(), "{page} links to {link}, not in the tarball");
        }
    }
    let glibc = newest_glibc(&lib.join(FULL));
    assert!(readme.contains(&format!("glibc {glibc} or later")), "README.md does not say glibc {glibc}");

    // The README's commands, as written, with only PATH and HOME set.
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::copy(&tarball, home.join(tarball.file_name().unwrap())).unwrap();
    std::fs::write(home.join("app.c"), APP).unwrap();
    let out = run_documented(&documented_block(&readme, "tarball in place"), &home, &home);
    assert_eq!(out.trim(), APP_OUTPUT);
    let dynamic = dynamic_section(&home.join("app"));
    assert!(dynamic.contains(&format!("Shared library: [{SONAME}]")), "{dynamic}");
    let paths = run_paths(&dynamic);
    assert_eq!(paths.len(), 1, "{dynamic}");
    assert_eq!(
        std::fs::canonicalize(&paths[0]).unwrap(),
        std::fs::canonicalize(home.join(&name).join("lib")).unwrap()
    );

    let home = dir.join("home-static");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::copy(&tarball, home.join(tarball.file_name().unwrap())).unwrap();
    std::fs::write(home.join("app.c"), APP).unwrap();
    let out = run_documented(&documented_block(&readme, "tarball static"), &home, &home);
    assert_eq!(out.trim(), APP_OUTPUT);
    let dynamic = dynamic_section(&home.join("app"));
    assert!(!dynamic.contains("libportal_codes"), "app is linked to the shared library:\n{dynamic}");
    let prefix = home.join("opt/portal_codes");
    assert_eq!(
        files_under(&prefix),
        ["include/portal_codes.h", "lib/libportal_codes.a", "lib/pkgconfig/portal_codes.pc"]
            .map(|f| prefix.join(f))
    );

    // install.sh: a private prefix keeps the run path, /usr does not; --uninstall removes it all.
    let install = |args: &[&str], destdir: Option<&Path>| {
        let mut cmd = Command::new(top.join("install.sh"));
        cmd.args(args).env_remove("RPATH").env_remove("DESTDIR");
        if let Some(d) = destdir {
            cmd.env("DESTDIR", d);
        }
        ok(&format!("install.sh {}", args.join(" ")), cmd.output().expect("run install.sh"));
    };
    for bad in ["relative/prefix", "/opt/a,b", "/opt/a:b", "/opt/a b"] {
        let out = Command::new(top.join("install.sh")).arg(bad).output().expect("run install.sh");
        assert_eq!(out.status.code(), Some(2), "install.sh {bad:?} was not refused");
    }
    let prefix = dir.join("prefix");
    let p = prefix.to_str().unwrap();
    install(&["--shared", p], None);
    let mut want = [
        "include/portal_codes.h",
        "lib/libportal_codes.so",
        &format!("lib/{SONAME}"),
        &format!("lib/{FULL}"),
    ]
    .map(|f| prefix.join(f))
    .to_vec();
    want.push(prefix.join("lib/pkgconfig/portal_codes.pc"));
    want.sort();
    assert_eq!(files_under(&prefix), want);
    assert_eq!(std::fs::read_link(prefix.join("lib").join(SONAME)).unwrap(), Path::new(FULL));
    let pc = std::fs::read_to_string(prefix.join("lib/pkgconfig/portal_codes.pc")).unwrap();
    assert!(pc.contains(&format!("\nprefix={p}\n")), "{pc}");
    assert!(pc.contains("-Wl,-rpath,${libdir}"), "{pc}");
    install(&["--uninstall", p], None);
    assert!(files_under(&prefix).is_empty(), "install.sh --uninstall left {:?}", files_under(&prefix));

    let stage = dir.join("stage");
    install(&["/usr"], Some(&stage));
    let pc = std::fs::read_to_string(stage.join("usr/lib/pkgconfig/portal_codes.pc")).unwrap();
    assert!(pc.contains("\nprefix=/usr\n"), "{pc}");
    assert!(pc.contains("\nLibs: -L${libdir} -lportal_codes\n"), "{pc}");
    assert_eq!(files_under(&stage).len(), 6, "{:?}", files_under(&stage));
    install(&["--uninstall", "/usr"], Some(&stage));
    assert!(files_under(&stage).is_empty(), "install.sh --uninstall left {:?}", files_under(&stage));
    let _ = std::fs::remove_dir_all(&dir);
}

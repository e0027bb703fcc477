//! Authenticator-app codes, URIs and QR codes checked against independent implementations:
//! `oathtool` (liboath; Debian `oathtool`), `pyotp` (Debian `python3-pyotp` or PyPI `pyotp`, run
//! by `$PCODES_PYTHON`, else by `python3`), and a QR decoder (`rsvg-convert` from Debian
//! `librsvg2-bin` to rasterise the SVG, `zbarimg` from Debian `zbar-tools` to read it).
//!
//! A missing tool fails its test, unless `PCODES_ALLOW_SKIP=1`, where the test says so and
//! passes.

use std::io::Write;
use std::process::{Command, Stdio};

use portal_codes::rng::{ChaCha20Rng, Rng, SeedableRng};
use portal_codes::totp::{self, Algorithm, Params, qr, uri};

#[path = "support/python.rs"]
mod python;

fn required() -> bool {
    std::env::var("PCODES_ALLOW_SKIP").as_deref() != Ok("1")
}

/// `true` if `cmd args` runs; otherwise skips (or panics when tools are required).
fn have(what: &str, cmd: &str, args: &[&str]) -> bool {
    let ok = Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(!required(), "{what} is required (set PCODES_ALLOW_SKIP=1 to skip) but not installed");
        println!("skipped: {what} not installed");
    }
    ok
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn b32(b: &[u8]) -> String {
    let mut out = [0u8; 128];
    portal_codes::base32::encode(b, &mut out).unwrap().to_owned()
}

const ALGS: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

fn random_case(rng: &mut ChaCha20Rng, min_secret: usize, max_period: u32) -> (Vec<u8>, Algorithm, u32, u32) {
    let len = min_secret + (rng.next_u32() as usize % (65 - min_secret));
    let mut secret = vec![0u8; len];
    rng.fill_bytes(&mut secret);
    let alg = ALGS[rng.next_u32() as usize % 3];
    let digits = 6 + rng.next_u32() % 3;
    let period = match rng.next_u32() % 4 {
        0 => 30,
        1 => 1,
        2 => max_period,
        _ => 1 + rng.next_u32() % max_period,
    };
    (secret, alg, digits, period)
}

/// 150 oathtool processes × 40 consecutive steps = 6000 TOTP codes, plus 50 × 40 HOTP codes:
/// random secrets of 10–64 bytes, all three algorithms, 6–8 digits, periods 1–3600 s, times
/// up to 2^35 s.
#[test]
fn agrees_with_oathtool() {
    if !have("oathtool (Debian package oathtool)", "oathtool", &["--version"]) {
        return;
    }
    let mut rng = ChaCha20Rng::from_seed([0x0a; 32]);
    let mut checked = 0;
    for _ in 0..150 {
        let (secret, alg, digits, period) = random_case(&mut rng, 10, 3600);
        let t = rng.next_u64() % (1 << 35);
        let mode = match alg {
            Algorithm::Sha1 => "--totp=sha1",
            Algorithm::Sha256 => "--totp=sha256",
            _ => "--totp=sha512",
        };
        let out = Command::new("oathtool")
            .args([mode, "-N", &format!("@{t}"), "-s", &format!("{period}s"), "-d", &digits.to_string()])
            .args(["-w", "39", &hex(&secret)])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 40);
        let p = Params::new(alg, digits, period).unwrap();
        for (k, want) in lines.iter().enumerate() {
            let at = t + k as u64 * u64::from(period);
            let got = totp::time::code(&secret, &p, at).unwrap();
            assert_eq!(got.as_str(), want, "{alg:?} {digits} {period} t={at} secret={}", hex(&secret));
            checked += 1;
        }
    }
    for _ in 0..50 {
        let (secret, _, digits, _) = random_case(&mut rng, 10, 3600);
        let counter = rng.next_u64() >> (rng.next_u32() % 64);
        let counter = counter.min(u64::MAX - 40);
        let out = Command::new("oathtool")
            .args([
                "--hotp",
                "-c",
                &counter.to_string(),
                "-d",
                &digits.to_string(),
                "-w",
                "39",
                &hex(&secret),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        for (k, want) in String::from_utf8(out.stdout).unwrap().lines().enumerate() {
            let got = totp::hotp::code(&secret, Algorithm::Sha1, digits, counter + k as u64).unwrap();
            assert_eq!(got.as_str(), want, "hotp {digits} c={} secret={}", counter + k as u64, hex(&secret));
            checked += 1;
        }
    }
    assert_eq!(checked, 8000);
}

/// Percent-escapes that pyotp 2.6.0 (Debian 12's `python3-pyotp`) mis-parses: its `parse_uri`
/// unquotes the whole URI before splitting it (later releases split first), so a label with an
/// escaped `#`, `?`, `&`, `%`, `/`, `=`, `+` or `:` loses its query. With such a pyotp, the script
/// below reads those URIs with Python's `urllib.parse` instead and says so.
const ESCAPES_PYOTP_26_BREAKS: [&str; 8] = ["%23", "%3F", "%26", "%25", "%2F", "%3D", "%2B", "%3A"];

const PYOTP_SCRIPT: &str = r#"
import hashlib, json, re, sys, pyotp
from urllib.parse import urlparse, parse_qsl, unquote
algs = {1: hashlib.sha1, 2: hashlib.sha256, 3: hashlib.sha512}
try:
    whole_unquote = pyotp.parse_uri("otpauth://totp/a%23b?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").name != "a#b"
except ValueError:
    whole_unquote = True
def by_urllib(u):
    p = urlparse(u)
    issuer, name = p.path[1:].split(":", 1)
    q = dict(parse_qsl(p.query, strict_parsing=True))
    assert unquote(issuer) == q["issuer"], u
    return [q["secret"].rstrip("="), unquote(name), q["issuer"], int(q.get("digits", "6")),
            q.get("algorithm", "SHA1").lower(), int(q.get("period", "30")), "urllib.parse"]
out = []
for c in json.load(sys.stdin):
    if c["kind"] == "totp":
        o = pyotp.TOTP(c["secret"], digits=c["digits"], digest=algs[c["alg"]], interval=c["period"])
        out.append(o.at(c["t"]))
    elif c["kind"] == "hotp":
        o = pyotp.HOTP(c["secret"], digits=c["digits"], digest=algs[c["alg"]])
        out.append(o.at(c["t"]))
    elif c["kind"] == "parse":
        if whole_unquote and re.search("%(23|3F|26|25|2F|3D|2B|3A)", c["uri"], re.I):
            out.append(by_urllib(c["uri"]))
            continue
        o = pyotp.parse_uri(c["uri"])
        out.append([o.secret.rstrip("="), o.name, o.issuer, o.digits, o.digest().name, getattr(o, "interval", 0), "pyotp"])
    elif c["kind"] == "provision":
        o = pyotp.TOTP(c["secret"], digits=c["digits"], digest=algs[c["alg"]], interval=c["period"])
        out.append(o.provisioning_uri(name=c["name"], issuer_name=c["issuer"]))
json.dump(out, sys.stdout)
"#;

fn pyotp(cases: &serde_like::Json) -> Option<Vec<serde_like::Value>> {
    let mut child = Command::new(python::interpreter())
        .args(["-c", PYOTP_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(cases.0.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pyotp: {}", String::from_utf8_lossy(&out.stderr));
    Some(serde_like::parse_array(&String::from_utf8(out.stdout).unwrap()))
}

/// 4000 TOTP and 1000 HOTP cases in one `pyotp` process (secrets of 14–64 bytes and periods up
/// to 120 s: pyotp refuses others), then URIs both ways: pyotp parses ours, we parse pyotp's.
#[test]
fn agrees_with_pyotp() {
    let py = python::interpreter();
    let what = format!("pyotp for {py} (Debian: python3-pyotp with PCODES_PYTHON=/usr/bin/python3)");
    if !have(&what, &py, &["-c", "import pyotp"]) {
        return;
    }
    let mut rng = ChaCha20Rng::from_seed([0x0b; 32]);
    let mut json = serde_like::Json::default();
    let mut expect = Vec::new();
    for i in 0..5000 {
        let (secret, alg, digits, period) = random_case(&mut rng, 14, 120);
        let s = b32(&secret);
        if i < 4000 {
            let t = rng.next_u64() % (1 << 37);
            json.push(&format!(
                r#"{{"kind":"totp","secret":"{s}","alg":{},"digits":{digits},"period":{period},"t":{t}}}"#,
                alg as i32
            ));
            expect.push(
                totp::time::code(&secret, &Params::new(alg, digits, period).unwrap(), t)
                    .unwrap()
                    .as_str()
                    .to_owned(),
            );
        } else {
            let c = rng.next_u64() >> (rng.next_u32() % 64);
            json.push(&format!(
                r#"{{"kind":"hotp","secret":"{s}","alg":{},"digits":{digits},"t":{c}}}"#,
                alg as i32
            ));
            expect.push(totp::hotp::code(&secret, alg, digits, c).unwrap().as_str().to_owned());
        }
    }
    // Our URIs, parsed by pyotp.
    let names = [("Госуслуги", "ivan@example.ru"), ("ACME Co", "Иванов Иван"), ("a&b=c?d", "x/y#z%+~")];
    let mut uris = Vec::new();
    for (n, (issuer, account)) in names.iter().enumerate() {
        let (secret, alg, digits, period) = random_case(&mut rng, 14, 120);
        let p = Params::new(alg, digits, period).unwrap();
        let mut buf = [0u8; uri::URI_BYTES];
        let u = uri::build(&secret, issuer, account, &p, &mut buf).unwrap().to_owned();
        json.push(&format!(r#"{{"kind":"parse","uri":"{u}"}}"#));
        uris.push((u, b32(&secret), *issuer, *account, p));
        // And pyotp's URI for the same enrolment, parsed by us.
        json.push(&format!(
            r#"{{"kind":"provision","secret":"{}","alg":{},"digits":{digits},"period":{period},"name":"{account}","issuer":"{issuer}"}}"#,
            b32(&secret),
            alg as i32
        ));
        let _ = n;
    }
    json.finish();
    let Some(got) = pyotp(&json) else {
        assert!(!required(), "python3 is required");
        println!("skipped: python3 not runnable");
        return;
    };
    assert_eq!(got.len(), 5000 + 2 * names.len());
    for (i, want) in expect.iter().enumerate() {
        assert_eq!(got[i].as_str(), want, "case {i}");
    }
    let mut by_pyotp = 0;
    for (k, (u, secret, issuer, account, p)) in uris.iter().enumerate() {
        let parsed = got[5000 + 2 * k].as_array();
        if parsed[6].as_str() == "pyotp" {
            by_pyotp += 1;
        } else {
            assert_eq!(parsed[6].as_str(), "urllib.parse");
            assert!(ESCAPES_PYOTP_26_BREAKS.iter().any(|e| u.to_uppercase().contains(e)), "{u}");
            println!("this pyotp unquotes the whole URI first (2.6.0 does): {u} read by urllib.parse");
        }
        let alg = match p.algorithm() {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            _ => "sha512",
        };
        assert_eq!(parsed[0].as_str(), secret, "{u}");
        assert_eq!(parsed[1].as_str(), *account, "{u}");
        assert_eq!(parsed[2].as_str(), *issuer, "{u}");
        assert_eq!(parsed[3].as_u64(), u64::from(p.digits()), "{u}");
        assert_eq!(parsed[4].as_str(), alg, "{u}");
        assert_eq!(parsed[5].as_u64(), u64::from(p.period()), "{u}");
        let theirs = got[5000 + 2 * k + 1].as_str();
        let e = uri::parse(theirs).unwrap_or_else(|err| panic!("{theirs}: {err}"));
        assert_eq!((e.issuer(), e.account(), e.params()), (Some(*issuer), *account, *p), "{theirs}");
        assert_eq!(b32(e.secret()), *secret);
    }
    assert!(by_pyotp >= 2, "pyotp parsed only {by_pyotp} of our URIs");
}

/// The SVG of several URIs (short, Cyrillic, every parameter, the longest allowed) is
/// rasterised by `rsvg-convert` and read back by `zbarimg`: the text must be the URI.
#[test]
fn qr_svg_decodes_back_to_the_uri() {
    if !have("rsvg-convert (Debian package librsvg2-bin)", "rsvg-convert", &["--version"])
        || !have("zbarimg (Debian package zbar-tools)", "zbarimg", &["--version"])
    {
        return;
    }
    let dir = std::env::temp_dir().join(format!("pcodes-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cases = Vec::new();
    let mut buf = [0u8; uri::URI_BYTES];
    let p = Params::default();
    cases.push(uri::build(b"12345678901234567890", "Portal", "ivan", &p, &mut buf).unwrap().to_owned());
    cases
        .push(uri::build(&[0x5a; 20], "Госуслуги", "Иванов Иван Иванович", &p, &mut buf).unwrap().to_owned());
    let p8 = Params::new(Algorithm::Sha512, 8, 60).unwrap();
    cases.push(uri::build(&[0xc3; 64], "ACME Co", "john.doe@email.com", &p8, &mut buf).unwrap().to_owned());
    let p_max = Params::new(Algorithm::Sha512, 8, 3600).unwrap();
    cases.push(
        uri::build(&[0xff; 64], &"я".repeat(32), &"ю".repeat(64), &p_max, &mut buf).unwrap().to_owned(),
    );
    assert_eq!(cases[3].len(), 941);
    let mut svg = vec![0u8; qr::SVG_BYTES];
    for (i, u) in cases.iter().enumerate() {
        let s = qr::svg(u, &mut svg).unwrap();
        let svg_path = dir.join(format!("{i}.svg"));
        let png_path = dir.join(format!("{i}.png"));
        std::fs::write(&svg_path, s).unwrap();
        let st = Command::new("rsvg-convert")
            .args(["-w", "1000", "-h", "1000", "-o"])
            .arg(&png_path)
            .arg(&svg_path)
            .status()
            .unwrap();
        assert!(st.success());
        let out = Command::new("zbarimg")
            .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
            .arg(&png_path)
            .output()
            .unwrap();
        assert!(out.status.success(), "zbarimg found no code in {}", png_path.display());
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.trim_end_matches('\n'), u);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Just enough JSON for the pyotp exchange (no serde dependency).
mod serde_like {
    #[derive(Default)]
    pub struct Json(pub String);

    impl Json {
        pub fn push(&mut self, item: &str) {
            self.0.push(if self.0.is_empty() { '[' } else { ',' });
            self.0.push_str(item);
        }
        pub fn finish(&mut self) {
            if self.0.is_empty() {
                self.0.push('[');
            }
            self.0.push(']');
        }
    }

    #[derive(Debug, Clone)]
    pub enum Value {
        Str(String),
        Num(u64),
        Arr(Vec<Value>),
        Null,
    }

    impl Value {
        pub fn as_str(&self) -> &str {
            match self {
                Value::Str(s) => s,
                v => panic!("not a string: {v:?}"),
            }
        }
        pub fn as_u64(&self) -> u64 {
            match self {
                Value::Num(n) => *n,
                v => panic!("not a number: {v:?}"),
            }
        }
        pub fn as_array(&self) -> &[Value] {
            match self {
                Value::Arr(a) => a,
                v => panic!("not an array: {v:?}"),
            }
        }
    }

    pub fn parse_array(s: &str) -> Vec<Value> {
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        match value(&chars, &mut i) {
            Value::Arr(a) => a,
            v => panic!("not an array: {v:?}"),
        }
    }

    fn ws(c: &[char], i: &mut usize) {
        while *i < c.len() && c[*i].is_whitespace() {
            *i += 1;
        }
    }

    fn value(c: &[char], i: &mut usize) -> Value {
        ws(c, i);
        match c[*i] {
            '[' => {
                *i += 1;
                let mut v = Vec::new();
                loop {
                    ws(c, i);
                    if c[*i] == ']' {
                        *i += 1;
                        return Value::Arr(v);
                    }
                    v.push(value(c, i));
                    ws(c, i);
                    if c[*i] == ',' {
                        *i += 1;
                    }
                }
            }
            '"' => {
                *i += 1;
                let mut s = String::new();
                while c[*i] != '"' {
                    if c[*i] == '\\' {
                        *i += 1;
                        match c[*i] {
                            'u' => {
                                let h: String = c[*i + 1..*i + 5].iter().collect();
                                let mut cp = u32::from_str_radix(&h, 16).unwrap();
                                *i += 4;
                                if (0xD800..0xDC00).contains(&cp) {
                                    let h2: String = c[*i + 3..*i + 7].iter().collect();
                                    let lo = u32::from_str_radix(&h2, 16).unwrap();
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                    *i += 6;
                                }
                                s.push(char::from_u32(cp).unwrap());
                            }
                            'n' => s.push('\n'),
                            't' => s.push('\t'),
                            other => s.push(other),
                        }
                    } else {
                        s.push(c[*i]);
                    }
                    *i += 1;
                }
                *i += 1;
                Value::Str(s)
            }
            'n' => {
                *i += 4;
                Value::Null
            }
            _ => {
                let start = *i;
                while *i < c.len() && c[*i].is_ascii_digit() {
                    *i += 1;
                }
                Value::Num(c[start..*i].iter().collect::<String>().parse().unwrap())
            }
        }
    }
}

//! The enrolment URI as an SVG QR code, written into a caller buffer (no allocation), ready to
//! be put straight into a web page.
//!
//! Error correction level M (raised when it costs no extra size), the smallest version that
//! fits, a 4-module quiet zone. The SVG has a `viewBox` of one unit per module and no fixed
//! size: the page sizes it with CSS (`width: 200px`), and `shape-rendering="crispEdges"` keeps
//! module edges sharp. Dark modules are one `<path>`, one sub-path per horizontal run.
//!
//! Text up to [`MAX_TEXT_BYTES`] (every URI [`uri::build`](super::uri::build) makes) is
//! accepted; the SVG then needs at most [`SVG_BYTES`] bytes including a NUL; typical enrolment
//! URIs (100–250 bytes, more with a Cyrillic issuer) give SVGs of 5–15 KB ([`svg_len`] tells exactly).

use core::fmt::Write;

use qrcodegen_no_heap::{QrCode, QrCodeEcc, Version};

use crate::error::{Error, Result};

/// Longest text accepted (the URI buffer size less its NUL).
pub const MAX_TEXT_BYTES: usize = super::uri::URI_BYTES - 1;
/// Largest QR version used: holds [`MAX_TEXT_BYTES`] bytes at level M.
pub const MAX_VERSION: u8 = 27;
const SIDE: usize = MAX_VERSION as usize * 4 + 17;
const BORDER: i32 = 4;
const BUF: usize = Version::new(MAX_VERSION).buffer_len();
/// Bytes of the SVG around the path data, at most (3-digit dimension).
const FRAME_BYTES: usize = 280;
/// Bytes one run `M{x},{y}h{n}v1h-{n}z` takes at most (3-digit numbers).
const RUN_BYTES: usize = 20;
/// A buffer of this size holds the SVG of any accepted text, plus a NUL.
pub const SVG_BYTES: usize = FRAME_BYTES + SIDE * SIDE.div_ceil(2) * RUN_BYTES + 1;

/// Counts what is written.
struct Count(usize);

impl Write for Count {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Writes into a slice; fails when it is full.
struct Slice<'o> {
    buf: &'o mut [u8],
    len: usize,
}

impl Write for Slice<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(core::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn render(qr: &QrCode<'_>, w: &mut impl Write) -> core::fmt::Result {
    let size = qr.size();
    let dim = size + 2 * BORDER;
    write!(
        w,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {dim} {dim}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\
         <rect width=\"{dim}\" height=\"{dim}\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\""
    )?;
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if qr.get_module(x, y) {
                let start = x;
                while x < size && qr.get_module(x, y) {
                    x += 1;
                }
                let n = x - start;
                write!(w, "M{},{}h{n}v1h-{n}z", start + BORDER, y + BORDER)?;
            } else {
                x += 1;
            }
        }
    }
    w.write_str("\"/></svg>\n")
}

fn encode<'b>(text: &str, out: &'b mut [u8; BUF], tmp: &mut [u8; BUF]) -> Result<QrCode<'b>> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::InvalidArgument.because(c"text_in: longer than PCODES_TOTP_URI_BYTES - 1 bytes"));
    }
    QrCode::encode_text(
        text,
        tmp,
        out,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::new(MAX_VERSION),
        None,
        true,
    )
    .map_err(|_| Error::InvalidArgument.because(c"text_in: does not fit in a QR code"))
}

/// The exact length of [`svg`]'s output for `text` (without a NUL).
///
/// # Errors
/// [`Error::InvalidArgument`] for text over [`MAX_TEXT_BYTES`].
pub fn svg_len(text: &str) -> Result<usize> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    let (mut out, mut tmp) = ([0u8; BUF], [0u8; BUF]);
    let qr = encode(text, &mut out, &mut tmp)?;
    let mut c = Count(0);
    render(&qr, &mut c).map_err(|_| Error::Internal)?;
    Ok(c.0)
}

/// Renders `text` (normally an `otpauth://` URI) as an SVG QR code into `out`; returns the SVG.
///
/// # Errors
/// [`Error::InvalidArgument`] for text over [`MAX_TEXT_BYTES`]; [`Error::BufferTooSmall`] if
/// `out` is shorter than [`svg_len`] (then `out` is untouched). [`SVG_BYTES`] always suffices.
pub fn svg<'o>(text: &str, out: &'o mut [u8]) -> Result<&'o str> {
    crate::diag::clear(); // a call that succeeds leaves no detail behind
    let (mut qbuf, mut tmp) = ([0u8; BUF], [0u8; BUF]);
    let qr = encode(text, &mut qbuf, &mut tmp)?;
    let mut c = Count(0);
    render(&qr, &mut c).map_err(|_| Error::Internal)?;
    if c.0 > out.len() {
        return Err(Error::BufferTooSmall);
    }
    let mut s = Slice { buf: out, len: 0 };
    render(&qr, &mut s).map_err(|_| Error::Internal)?;
    let n = s.len;
    core::str::from_utf8(&out[..n]).map_err(|_| Error::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_uri_renders() {
        let uri = "otpauth://totp/Portal:ivan?secret=JBSWY3DPEHPK3PXP&issuer=Portal";
        let mut out = std::vec![0u8; SVG_BYTES];
        let s = svg(uri, &mut out).unwrap();
        assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(s.ends_with("</svg>\n"));
        assert_eq!(svg_len(uri), Ok(s.len()));
        let n = s.len();
        let mut small = std::vec![7u8; n - 1];
        assert_eq!(svg(uri, &mut small), Err(Error::BufferTooSmall));
        assert!(small.iter().all(|&b| b == 7), "untouched");
        let mut exact = std::vec![0u8; n];
        assert_eq!(svg(uri, &mut exact).map(str::len), Ok(n));
    }

    /// The longest accepted text, with the worst checkerboard-like content we can think of,
    /// fits in `SVG_BYTES`; one more byte is refused.
    #[test]
    fn capacity_and_bound() {
        let text = "я".repeat(MAX_TEXT_BYTES / 2) + "x";
        assert_eq!(text.len(), MAX_TEXT_BYTES);
        let mut out = std::vec![0u8; SVG_BYTES];
        let n = svg(&text, &mut out).unwrap().len();
        assert!(n < SVG_BYTES, "{n}");
        assert_eq!(svg(&(text + "x"), &mut out), Err(Error::InvalidArgument));
        const { assert!(SVG_BYTES < 160_000) };
    }
}

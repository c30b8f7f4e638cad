//! What wraps a transcript's text, found by content, never by file name: gzip
//! (decompressed with a size cap, so a compression bomb is refused), UTF-16 with a
//! byte-order mark, and stray NUL bytes in otherwise plain text.

use std::borrow::Cow;
use std::io::Read;

use crate::transcript::layouts::{MAX_FILE_BYTES, ParseError};
use crate::transcript::text;

/// A file's text, ready for layout detection, and the container it came in.
pub struct Prepared {
    pub text: String,
    /// `gzip` when the bytes were compressed, `pdf` for a PDF file.
    pub container: Option<&'static str>,
    /// For a PDF: the extractor that produced the text.
    pub extractor: Option<String>,
}

/// Unwrap, decode and normalise a file's bytes (decompressed bytes capped at the default).
pub fn prepare(bytes: &[u8]) -> Result<Prepared, ParseError> {
    prepare_capped(bytes, MAX_FILE_BYTES)
}

/// [`prepare`], refusing more than `max` decompressed bytes.
pub fn prepare_capped(bytes: &[u8], max: u64) -> Result<Prepared, ParseError> {
    let (bytes, container) = if bytes.starts_with(&[0x1f, 0x8b]) {
        (Cow::Owned(gunzip(bytes, max)?), Some("gzip"))
    } else {
        (Cow::Borrowed(bytes), None)
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Empty);
    }
    if crate::transcript::pdf::is_pdf(&bytes) {
        return crate::transcript::pdf_text::prepare(&bytes);
    }
    // Copied again only when there is something to change (most files have neither).
    let mut decoded = match utf16(&bytes) {
        Some(decoded) => decoded,
        None if text::looks_binary(&bytes) => return Err(ParseError::Binary),
        None => without_nuls(text::decode(&bytes)),
    };
    if decoded.contains('\r') {
        decoded = decoded.replace("\r\n", "\n").replace('\r', "\n");
    }
    Ok(Prepared {
        text: decoded,
        container,
        extractor: None,
    })
}

/// A few stray NUL bytes of an 8-bit file dropped.
fn without_nuls(text: String) -> String {
    match text.contains('\0') {
        true => text.replace('\0', ""),
        false => text,
    }
}

/// Text with a UTF-16 byte-order mark, decoded.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (encoding, _) = encoding_rs::Encoding::for_bom(bytes)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let (decoded, _, _) = encoding.decode(bytes);
    Some(decoded.into_owned())
}

/// Decompress gzip (all members), refusing more than `max` bytes.
fn gunzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, ParseError> {
    let mut out = Vec::new();
    let reader = flate2::read::MultiGzDecoder::new(bytes);
    reader
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| ParseError::Unreadable(format!("damaged gzip data ({e})")))?;
    if out.len() as u64 > max {
        return Err(ParseError::Inflated(max));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_character_of_utf16_text_is_kept_as_it_was() {
        let bytes = b"\xff\xfeH\x00i\x00\x00\x00t\x00h\x00e\x00r\x00e\x00";
        assert_eq!(prepare(bytes).unwrap().text, "Hi\0there");
    }

    #[test]
    fn gzip_and_utf16_and_stray_nuls_are_unwrapped() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"Operator\r\nHello.").unwrap();
        let p = prepare(&gz.finish().unwrap()).unwrap();
        assert_eq!(
            (p.text.as_str(), p.container),
            ("Operator\nHello.", Some("gzip"))
        );
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("Crédit".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(prepare(&utf16).unwrap().text, "Crédit");
        let mut nuls = b"Operator: welcome to the call, everyone.".repeat(40);
        nuls.insert(100, 0);
        assert!(!prepare(&nuls).unwrap().text.contains('\0'));
    }

    #[test]
    fn damaged_gzip_and_real_binaries_are_refused_with_a_reason() {
        let cut = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3];
        assert!(matches!(prepare(&cut), Err(ParseError::Unreadable(_))));
        assert!(matches!(
            prepare(&[0u8, 1, 2, 3, 0, 0, 7]),
            Err(ParseError::Binary)
        ));
    }
}

//! File names of any bytes: escaped for one-line messages (`\n`, `\xNN`), and as hex
//! for JSON when they are not UTF-8, so a name never splits a line or reads as another.

use std::path::Path;

/// The name as text for messages: UTF-8 as it is, but control characters escaped
/// (`\n`, `\t`, `\r`, `\x1b`) and bytes that are not UTF-8 as `\xNN`.
pub fn escaped(path: &Path) -> String {
    escape_bytes(raw(path))
}

/// [`escaped`] for bytes.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&escape_str(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Control characters of a name already in text, escaped.
pub fn escape_str(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The name's bytes in hex when they are not UTF-8 (`source_bytes` in JSON).
pub fn hex_unless_utf8(path: &Path) -> Option<String> {
    let bytes = raw(path);
    std::str::from_utf8(bytes)
        .is_err()
        .then(|| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Hex back to bytes (for printing a stored `source_bytes`).
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn raw(path: &Path) -> &[u8] {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str())
    }
    #[cfg(not(unix))]
    {
        path.to_str().map(str::as_bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_and_bad_bytes_are_escaped() {
        assert_eq!(escape_bytes(b"a\nb\xe9.txt"), "a\\nb\\xE9.txt");
        assert_eq!(escape_str("plain/café.txt"), "plain/café.txt");
        assert_eq!(from_hex("61e9"), Some(vec![0x61, 0xe9]));
    }
}

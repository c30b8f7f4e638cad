//! CSV rows (RFC 4180): a field is quoted when it holds a comma, a quote or a line
//! break, and quotes inside are doubled. Shared by `trend --csv` and `export --format csv`.

use std::borrow::Cow;
use std::io::Write;

/// One field, quoted when it must be.
pub fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// One row, ended by `\n`.
pub fn row<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> std::io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(field(f.as_ref()).as_bytes())?;
    }
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let mut out = Vec::new();
        row(&mut out, &["a", "b,c", "say \"hi\"", "x\ny", ""]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",\n"
        );
    }
}

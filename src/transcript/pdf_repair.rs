//! A damaged PDF's cross-reference table rebuilt from the objects themselves, for
//! lopdf (the version pdf-extract uses, so its `Document` is pdf-extract's): a file
//! cut short, or with a broken `xref`/`startxref`, still has most of its objects.

use std::collections::BTreeMap;

use pdf_extract::Document;

/// The document, loaded after its xref table was rebuilt by scanning for objects.
pub fn repaired(bytes: &[u8]) -> Result<Document, String> {
    let start = find(bytes, b"%PDF-", 0).ok_or("not a pdf: no %PDF header")?;
    let body = &bytes[start..];
    let objects = object_offsets(body);
    if objects.is_empty() {
        return Err("damaged pdf: no objects left to repair".to_string());
    }
    let root = root_ref(body, &objects).ok_or("damaged pdf: no document catalog")?;
    let fixed = with_new_xref(body, &objects, root);
    Document::load_mem(&fixed).map_err(|e| {
        format!(
            "damaged pdf: repair failed ({})",
            crate::error::lowercase_first(&e.to_string())
        )
    })
}

/// Every `N G obj` at a line start: object number -> (generation, offset). A later
/// copy (an incremental update) wins.
fn object_offsets(body: &[u8]) -> BTreeMap<u32, (u16, usize)> {
    let mut objects = BTreeMap::new();
    let mut at = 0;
    while let Some(pos) = find(body, b" obj", at) {
        at = pos + 4;
        if let Some((number, generation, start)) = header_before(body, pos) {
            objects.insert(number, (generation, start));
        }
    }
    objects
}

/// The `N G` before ` obj` at `pos`, when it starts a line: (N, G, offset of N).
fn header_before(body: &[u8], pos: usize) -> Option<(u32, u16, usize)> {
    let line_start = body[..pos]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |p| p + 1);
    let head = std::str::from_utf8(&body[line_start..pos]).ok()?;
    let mut words = head.split_ascii_whitespace();
    let number = words.next()?.parse().ok()?;
    let generation = words.next()?.parse().ok()?;
    if words.next().is_some() {
        return None;
    }
    let indent = head.len() - head.trim_start().len();
    Some((number, generation, line_start + indent))
}

/// The catalog: the last `/Root N G R` in a trailer or xref stream, else the first
/// object that declares `/Type /Catalog`.
fn root_ref(body: &[u8], objects: &BTreeMap<u32, (u16, usize)>) -> Option<(u32, u16)> {
    let mut root = None;
    let mut at = 0;
    while let Some(pos) = find(body, b"/Root", at) {
        at = pos + 5;
        if let Some(r) = reference_after(&body[at..]).filter(|r| objects.contains_key(&r.0)) {
            root = Some(r);
        }
    }
    root.or_else(|| {
        objects.iter().find_map(|(&n, &(g, off))| {
            let end = (off + 400).min(body.len());
            let head = &body[off..end];
            (find(head, b"/Catalog", 0).is_some()).then_some((n, g))
        })
    })
}

/// `N G R` at the start of `s` (after spaces).
fn reference_after(s: &[u8]) -> Option<(u32, u16)> {
    let text = std::str::from_utf8(&s[..s.len().min(40)])
        .ok()
        .or_else(|| {
            let end = s.iter().take(40).position(|b| !b.is_ascii()).unwrap_or(0);
            std::str::from_utf8(&s[..end]).ok()
        })?;
    let mut words = text.split_ascii_whitespace();
    let number = words.next()?.parse().ok()?;
    let generation = words.next()?.parse().ok()?;
    words
        .next()
        .filter(|w| w.starts_with('R'))
        .map(|_| (number, generation))
}

/// `body` with a fresh xref table and trailer appended.
fn with_new_xref(body: &[u8], objects: &BTreeMap<u32, (u16, usize)>, root: (u32, u16)) -> Vec<u8> {
    let size = objects.keys().last().map_or(1, |&n| n + 1);
    let mut out = body.to_vec();
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for number in 0..size {
        let entry = match objects.get(&number) {
            Some(&(generation, offset)) => format!("{offset:010} {generation:05} n\r\n"),
            None => "0000000000 65535 f\r\n".to_string(),
        };
        out.extend_from_slice(entry.as_bytes());
    }
    let trailer = format!(
        "trailer\n<< /Size {size} /Root {} {} R >>\nstartxref\n{xref_at}\n%%EOF\n",
        root.0, root.1
    );
    out.extend_from_slice(trailer.as_bytes());
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_headers_are_found_at_line_starts_only() {
        let body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n(text 3 0 obj)\n 2 0 obj\n<<>>\nendobj\n";
        let objects = object_offsets(body);
        assert_eq!(objects.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(root_ref(body, &objects), Some((1, 0)));
    }
}

//! PDF files end to end: real bank PDFs are read by the generic layout, and damaged or
//! hostile ones (cut in half, bytes flipped, self-referencing, a compression bomb,
//! image-only, encrypted) are refused with a reason, within the limits, while the run
//! goes on with the other files.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Run, callsearch, folder_with, read, root};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    read(root().join("tests/fixtures/generic").join(name))
}

/// A PDF of `objects` (object 1 is the catalog), with a correct xref table.
fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn stream(data: &[u8], dict: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

const CATALOG: &[u8] = b"<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &[u8] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const PAGE: &[u8] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>";
const FONT: &[u8] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// One page drawing `content`, with object 6 as its XObject `/X1`.
fn one_page(content: Vec<u8>, xobject: Vec<u8>, trailer_extra: &str) -> Vec<u8> {
    let objects = [
        CATALOG.to_vec(),
        PAGES.to_vec(),
        PAGE.to_vec(),
        content,
        FONT.to_vec(),
        xobject,
    ];
    pdf(&objects, trailer_extra)
}

fn image() -> Vec<u8> {
    stream(
        &[0u8; 100],
        "/Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8",
    )
}

/// 1.5 GB of zeros in one Flate content stream: more than the child's memory cap.
fn compression_bomb() -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..1536 {
        z.write_all(&chunk).unwrap();
    }
    let data = z.finish().unwrap();
    one_page(stream(&data, "/Filter /FlateDecode"), image(), "")
}

fn damaged_files() -> Vec<(&'static str, Vec<u8>)> {
    let real = fixture("qec_ubs_2024_2Q.pdf");
    let mut flipped = real.clone();
    for i in (200..flipped.len()).step_by(997) {
        flipped[i] ^= 0x5a;
    }
    let self_pages = pdf(
        &[
            CATALOG.to_vec(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
        ],
        "",
    );
    let self_form = one_page(
        stream(b"/X1 Do", ""),
        stream(
            b"/X1 Do",
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 6 0 R >> >>",
        ),
        "",
    );
    let image_only = one_page(stream(b"q 10 0 0 10 0 0 cm /X1 Do Q", ""), image(), "");
    let encryption = b"<< /Filter /Standard /V 1 /R 2 /O <00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff> \
/U <ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100> /P -4 >>";
    let encrypted = pdf(
        &[
            CATALOG.to_vec(),
            PAGES.to_vec(),
            PAGE.to_vec(),
            stream(b"BT /F1 12 Tf 72 700 Td (secret) Tj ET", ""),
            FONT.to_vec(),
            image(),
            encryption.to_vec(),
        ],
        "/Encrypt 7 0 R /ID [<01> <01>]",
    );
    vec![
        ("half.pdf", real[..real.len() / 2].to_vec()),
        ("flipped.pdf", flipped),
        ("self-pages.pdf", self_pages),
        ("self-form.pdf", self_form),
        ("bomb.pdf", compression_bomb()),
        ("image-only.pdf", image_only),
        ("encrypted.pdf", encrypted),
    ]
}

#[track_caller]
fn refused(run: &Run, file: &str, reason_words: &[&str]) {
    run.assert_code(2);
    let said = run.stderr.to_lowercase();
    run.check(said.contains(file), format!("error names {file}"));
    let reason = said.split(file).nth(1).unwrap_or_default();
    run.check(
        reason_words.iter().any(|w| reason.contains(w)),
        format!("reason mentions one of {reason_words:?}"),
    );
}

#[test]
fn a_real_bank_pdf_parses_with_pdf_extract_and_names_its_speakers() {
    let dir = folder_with(&[("qec_ctg_2024_3Q.pdf", &fixture("qec_ctg_2024_3Q.pdf"))]);
    let path = dir.path().join("qec_ctg_2024_3Q.pdf");
    let run = callsearch(&["parse", path.to_str().unwrap()]);
    run.success();
    for line in [
        "format:        generic (Call)",
        "container:     pdf",
        "extractor:     pdf-extract",
        "fiscal period: Q3 2024",
        "date:          2024-10-15",
    ] {
        run.check(run.stdout.contains(line), format!("parse shows {line:?}"));
    }
    run.check(run.stdout.contains("Jane Fraser"), "the CEO speaks");
    run.check(
        run.stdout.contains("Mike Mayo"),
        "an analyst speaks, spelled as the operator announced him",
    );
}

#[test]
fn damaged_pdfs_are_refused_with_a_reason_within_the_limits() {
    let files = damaged_files();
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let dir = folder_with(&named);
    let expect: &[(&str, &[&str])] = &[
        ("self-pages.pdf", &["pages", "pdf"]),
        ("self-form.pdf", &["memory or stack", "cpu"]),
        ("bomb.pdf", &["memory", "cpu"]),
        ("image-only.pdf", &["image-only"]),
        ("encrypted.pdf", &["encrypted"]),
    ];
    for (file, words) in expect {
        let started = Instant::now();
        let path = dir.path().join(file);
        refused(&callsearch(&["parse", path.to_str().unwrap()]), file, words);
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{file} took too long"
        );
    }
    // Cut or flipped files may be repaired; either way they never crash the run.
    for file in ["half.pdf", "flipped.pdf"] {
        let path = dir.path().join(file);
        let run = callsearch(&["parse", path.to_str().unwrap()]);
        run.check(run.code == 0 || run.code == 2, "parsed or refused");
        run.check(!run.stderr.contains("panicked"), "no panic");
    }
}

/// `CALLSEARCH_HOSTILE_DIR=DIR` also writes the files to DIR, to measure a run by hand.
#[test]
fn a_run_over_damaged_pdfs_goes_on_with_the_good_files() {
    let mut files = damaged_files();
    files.push(("good.pdf", fixture("qec_ubs_2024_2Q.pdf")));
    if let Some(out) = std::env::var_os("CALLSEARCH_HOSTILE_DIR") {
        for (name, bytes) in &files {
            std::fs::write(Path::new(&out).join(name), bytes).unwrap();
        }
    }
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let dir = folder_with(&named);
    let index = dir.path().join("index");
    let run = callsearch(&[
        "index",
        dir.path().to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--json",
    ]);
    let summary = run.report(1);
    run.check(
        summary["indexed"].as_u64() == Some(1),
        "the good PDF is indexed",
    );
    let failed = summary["failed"].as_array().map_or(0, Vec::len);
    run.check(
        failed >= 5,
        "the damaged PDFs are failures, each with a reason",
    );
    let hits = callsearch(&[
        "query",
        "capital",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "--speaker",
        "todd tuckner",
    ]);
    hits.success();
    hits.check(
        !hits.hits().is_empty(),
        "the good PDF's speakers are searchable",
    );
}

fn parse_bytes_quietly(bytes: &[u8]) {
    let _ = callsearch::transcript::parse_bytes(bytes, Path::new("random.pdf"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random bytes behind a PDF header reach the extraction child (the error is the
    /// PDF path's own) and never panic.
    #[test]
    fn random_bytes_behind_a_pdf_header_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut file = b"%PDF-1.4\n".to_vec();
        file.extend(bytes);
        let outcome = callsearch::transcript::parse_bytes(&file, Path::new("random.pdf"));
        prop_assert!(
            matches!(outcome, Err(callsearch::transcript::ParseError::Pdf(_))),
            "{:?}",
            outcome.map(|t| t.turns.len())
        );
    }

    /// A real PDF with bytes overwritten anywhere never panics the parent.
    #[test]
    fn real_pdf_with_bytes_flipped_never_panics(flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..30)) {
        let mut file = fixture("qec_ctg_2024_3Q.pdf");
        let len = file.len();
        for (at, b) in flips {
            file[at % len] = b;
        }
        parse_bytes_quietly(&file);
    }
}

#[test]
fn passages_name_their_container_and_layout_and_container_is_searchable() {
    let dir = folder_with(&[
        ("bank.pdf", &fixture("qec_ubs_2024_2Q.pdf")),
        ("calls/mac.txt", &fixture("mac-q4-2020-colon-labels.txt")),
    ]);
    let index = dir.path().join("index");
    let (docs, idx) = (dir.path().to_str().unwrap(), index.to_str().unwrap());
    callsearch(&["index", docs, "--index", idx, "--json"]).report(0);
    let pdf = callsearch(&[
        "query",
        "container:pdf",
        "--index",
        idx,
        "--json",
        "-n",
        "500",
    ]);
    pdf.success();
    let hits = pdf.hits();
    pdf.check(
        !hits.is_empty(),
        "the PDF's passages are found by container:pdf",
    );
    for hit in &hits {
        pdf.check(hit["container"] == "pdf", "every hit says container pdf");
        pdf.check(hit["format"] == "generic", "and names its layout");
        pdf.check(
            hit["source"].as_str().unwrap().ends_with("bank.pdf"),
            "from bank.pdf",
        );
    }
    let text = callsearch(&["query", "Macerich", "--index", idx, "--json"]);
    text.success();
    text.check(
        text.hits()[0]["container"].is_null(),
        "plain text has no container",
    );
}

#[test]
fn layout_flag_forces_a_layout_and_rejects_unknown_names() {
    let dir = folder_with(&[("mac.txt", &fixture("mac-q4-2020-colon-labels.txt"))]);
    let path = dir.path().join("mac.txt");
    let file = path.to_str().unwrap();
    let forced = callsearch(&["parse", file, "--layout", "seekingalpha", "--json"]);
    forced.check(
        forced.code == 2 || forced.stdout.contains("\"format\":\"seekingalpha\""),
        "parsed as the forced layout, or refused by it",
    );
    let bad = callsearch(&["parse", file, "--layout", "nope"]);
    bad.assert_code(2);
    bad.check(
        bad.stderr.contains("--layout nope: unknown layout"),
        "names the flag",
    );
    let report = callsearch(&[
        "report",
        dir.path().to_str().unwrap(),
        "--layout",
        "generic",
        "--json",
    ]);
    report.success();
    let stats: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    report.check(
        stats["layouts"]["generic"]["parsed"] == 1,
        "report reads it as generic",
    );
}

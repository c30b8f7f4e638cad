//! Human printers: hits grouped by call, facet tables, parse and index summaries.

use std::collections::BTreeMap;
use std::io::Write;

use crate::config::HitView;
use crate::error::{Error, output};
use crate::index::IndexReport;
use crate::output::Printer;
use crate::search::facets::FacetCounts;
use crate::search::plain::Matched;
use crate::search::snippets::Snippet;
use crate::search::{Hit, HitStream, SearchResult};
use crate::transcript::audit::LayoutStats;
use crate::transcript::merges::Merges;
use crate::transcript::model::{Passage, Transcript};
use crate::transcript::passages::shorten;

const BOLD: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// How text is styled: ANSI on a terminal, brackets around matches otherwise.
struct Style {
    color: bool,
}

impl Style {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn highlight(&self, snippet: &Snippet) -> String {
        let (open, close) = if self.color {
            (MATCH, RESET)
        } else {
            ("[", "]")
        };
        let mut out = String::with_capacity(snippet.text.len() + 16);
        let mut at = 0;
        for r in &snippet.highlights {
            if r.start < at || r.end > snippet.text.len() {
                continue;
            }
            out.push_str(&snippet.text[at..r.start]);
            out.push_str(open);
            out.push_str(&snippet.text[r.start..r.end]);
            out.push_str(close);
            at = r.end;
        }
        out.push_str(&snippet.text[at..]);
        out
    }
}

/// Writes text for people to `out`.
pub struct Human<'a> {
    out: &'a mut dyn Write,
    style: Style,
}

impl<'a> Human<'a> {
    pub fn new(out: &'a mut dyn Write, color: bool) -> Self {
        Human {
            out,
            style: Style { color },
        }
    }
}

impl Printer for Human<'_> {
    /// Hits under one heading per call, in rank order of each call's best hit, each
    /// printed as soon as it is loaded (the stream comes grouped by call).
    fn search_stream(
        &mut self,
        r: &SearchResult,
        hits: &mut HitStream,
        view: HitView,
    ) -> Result<(), Error> {
        let (out, style) = (&mut *self.out, &self.style);
        hits.group_by_call()?;
        let mut call: Option<String> = None;
        let mut returned = 0;
        for hit in hits {
            let hit = hit?;
            if call.as_deref() != Some(hit.passage.call_id.as_str()) {
                if call.is_some() {
                    writeln!(out).map_err(output)?;
                }
                let heading = call_heading(&hit.passage);
                writeln!(out, "{}", style.wrap(BOLD, &heading)).map_err(output)?;
                call = Some(hit.passage.call_id.clone());
            }
            print_hit(out, style, view, &hit).map_err(output)?;
            returned += 1;
        }
        if call.is_some() {
            writeln!(out).map_err(output)?;
        }
        footer(out, style, r, returned).map_err(output)
    }

    fn index_report(&mut self, r: &IndexReport) -> std::io::Result<()> {
        index_report(self.out, r)
    }

    fn transcript(&mut self, t: &Transcript) -> std::io::Result<()> {
        transcript(self.out, t)
    }

    fn layout_report(
        &mut self,
        stats: &BTreeMap<String, LayoutStats>,
        merges: &Merges,
    ) -> std::io::Result<()> {
        print_table(self.out, stats)?;
        print_merges(self.out, merges)
    }
}

/// After the hits: facets, suggestions, synonyms searched, and the count line.
fn footer(
    out: &mut dyn Write,
    style: &Style,
    r: &SearchResult,
    returned: usize,
) -> std::io::Result<()> {
    {
        for facet in &r.facets {
            print_facet(out, style, facet)?;
        }
        for (typed, suggestion) in &r.did_you_mean {
            let what = if typed.starts_with("--") {
                format!("matches {typed}")
            } else {
                format!("holds {typed:?}")
            };
            writeln!(out, "no passage {what}: did you mean {suggestion}?")?;
        }
        if !r.also_matched.is_empty() {
            writeln!(out, "also matched: {}", r.also_matched.join(", "))?;
        }
        let rule = match &r.matched {
            Matched::MostWords { .. } => format!(" ({})", r.matched.describe()),
            _ => String::new(),
        };
        let from = match r.offset {
            0 => String::new(),
            n => format!(", after the first {n},"),
        };
        writeln!(
            out,
            "{} of {} matching passages{rule}{from} in {:.1} ms",
            returned, r.total_hits, r.elapsed_ms
        )
    }
}

fn call_heading(p: &Passage) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &p.ticker {
        parts.push(t.clone());
    }
    parts.push(
        p.event
            .clone()
            .or_else(|| p.company.clone())
            .unwrap_or_else(|| shown_source(p)),
    );
    if let Some(d) = &p.date {
        parts.push(d.clone());
    }
    parts.join(" · ")
}

fn print_hit(out: &mut dyn Write, style: &Style, view: HitView, hit: &Hit) -> std::io::Result<()> {
    let p = &hit.passage;
    if let Some(q) = p.question.as_ref().filter(|_| view.with_question) {
        let who = with_firm(&q.speaker, q.firm.as_deref());
        let text = shorten(&q.text.replace("\n\n", " "), 200);
        writeln!(out, "  {}", style.wrap(DIM, &format!("Q ({who}): {text}")))?;
    }
    let section = if p.section.as_str() == "qa" {
        "Q&A"
    } else {
        "prepared"
    };
    // `*` listings are not scored: no number to show.
    let score = if hit.score > 0.0 {
        format!("{:>6.2}", hit.score)
    } else {
        " ".repeat(6)
    };
    writeln!(
        out,
        "  {score}  {}  {}  {}",
        style.wrap(BOLD, &speaker_line(p)),
        section,
        style.wrap(DIM, &format!("turn {} ¶{}", p.turn, p.paragraph))
    )?;
    if view.with_context {
        print_context(out, style, hit)?;
    } else {
        writeln!(out, "          {}", style.highlight(&hit.snippet))?;
    }
    if view.with_question && !p.answered_by.is_empty() {
        let who = p.answered_by.join(", ");
        writeln!(
            out,
            "          {}",
            style.wrap(DIM, &format!("answered by {who}"))
        )?;
    }
    Ok(())
}

fn print_context(out: &mut dyn Write, style: &Style, hit: &Hit) -> std::io::Result<()> {
    let p = &hit.passage;
    for c in &hit.context {
        let is_hit = c.turn == p.turn && c.paragraph == p.paragraph;
        let marker = if is_hit { ">" } else { " " };
        let text = if is_hit {
            style.highlight(&hit.snippet)
        } else {
            shorten(&c.text, 300)
        };
        let who = if c.turn != p.turn {
            format!("{}: ", c.speaker)
        } else {
            String::new()
        };
        writeln!(out, "        {marker} {who}{text}")?;
    }
    Ok(())
}

fn speaker_line(p: &Passage) -> String {
    let detail: Vec<&str> = [
        p.firm_norm.as_deref().or(p.firm.as_deref()),
        p.role.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if detail.is_empty() {
        p.speaker.clone()
    } else {
        format!("{} ({})", p.speaker, detail.join(", "))
    }
}

fn with_firm(name: &str, firm: Option<&str>) -> String {
    match firm {
        Some(f) => format!("{name}, {f}"),
        None => name.to_string(),
    }
}

fn print_facet(out: &mut dyn Write, style: &Style, f: &FacetCounts) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        style.wrap(BOLD, &format!("{} ({} values)", f.field, f.distinct))
    )?;
    let width = f
        .counts
        .iter()
        .map(|(v, _)| v.chars().count())
        .max()
        .unwrap_or(0);
    for (value, count) in &f.counts {
        writeln!(out, "  {value:<width$}  {count:>7}")?;
    }
    writeln!(out)
}

/// A parsed transcript: metadata, participants, then each turn with its paragraphs.
fn transcript(out: &mut dyn Write, t: &Transcript) -> std::io::Result<()> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_string());
    writeln!(out, "format:        {} ({:?})", t.format, t.kind)?;
    if let Some(c) = &t.container {
        writeln!(out, "container:     {c}")?;
    }
    if let Some(x) = &t.extractor {
        writeln!(out, "extractor:     {x}")?;
    }
    if let Some(x) = &t.part {
        writeln!(out, "part:          {x}")?;
    }
    writeln!(
        out,
        "company:       {} ({})",
        opt(&t.company),
        opt(&t.ticker)
    )?;
    writeln!(out, "event:         {}", opt(&t.event))?;
    writeln!(out, "fiscal period: {}", opt(&t.fiscal_period))?;
    writeln!(out, "date:          {}", opt(&t.date))?;
    writeln!(out, "participants:  {}", t.participants.len())?;
    for p in &t.participants {
        writeln!(
            out,
            "  {:?}  {}  {} - {}",
            p.side,
            p.name,
            opt(&p.firm),
            opt(&p.role)
        )?;
    }
    let qa = t
        .turns
        .iter()
        .filter(|x| x.section.as_str() == "qa")
        .count();
    writeln!(
        out,
        "turns:         {} ({} presentation, {} Q&A), {} passages",
        t.turns.len(),
        t.turns.len() - qa,
        qa,
        t.passage_count()
    )?;
    for (i, turn) in t.turns.iter().enumerate() {
        let firm = turn.firm.as_deref().unwrap_or("-");
        writeln!(
            out,
            "\n[{}] {} · {} · {} · {}",
            i + 1,
            turn.speaker,
            firm,
            turn.role_class.as_str(),
            turn.section.as_str()
        )?;
        for para in &turn.paragraphs {
            writeln!(out, "    {}", shorten(para, 160))?;
        }
    }
    Ok(())
}

/// The index summary, with every skipped, failed and duplicate file named.
fn index_report(out: &mut dyn Write, r: &IndexReport) -> std::io::Result<()> {
    for (path, reason) in &r.skipped {
        writeln!(out, "skipped {path}: {reason}")?;
    }
    for (path, reason) in &r.failed {
        writeln!(out, "failed  {path}: {reason}")?;
    }
    for (path, of) in &r.duplicates {
        writeln!(out, "duplicate {path}: same call as {of}")?;
    }
    for path in &r.removed {
        writeln!(out, "removed {path}: file is gone")?;
    }
    if r.renamed > 0 {
        let n = r.renamed;
        writeln!(
            out,
            "rewrote {n} unchanged files: a canonical name in them, or the copy of a call kept, changed"
        )?;
    }
    let secs = r.elapsed.as_secs_f64();
    writeln!(
        out,
        "indexed {} files ({} passages, {:.1} MB) in {:.2} s; {} unchanged, {} skipped, {} failed, {} duplicates, {} removed",
        r.indexed,
        r.passages,
        r.bytes as f64 / 1e6,
        secs,
        r.unchanged,
        r.skipped.len(),
        r.failed.len(),
        r.duplicates.len(),
        r.removed.len()
    )
}

/// The `report` table, then each layout's skip reasons and suspicious speakers.
fn print_table(out: &mut dyn Write, stats: &BTreeMap<String, LayoutStats>) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<18} {:>6} {:>7} {:>8} {:>5} {:>7} {:>9} {:>9} {:>10}",
        "layout",
        "files",
        "parsed",
        "skipped",
        "dups",
        "turns",
        "passages",
        "unlisted",
        "suspicious"
    )?;
    for (name, s) in stats {
        let skipped: usize = s.skipped.values().sum();
        writeln!(
            out,
            "{:<18} {:>6} {:>7} {:>8} {:>5} {:>7} {:>9} {:>9} {:>10}",
            name,
            s.files,
            s.parsed,
            skipped,
            s.duplicates,
            s.turns,
            s.passages,
            s.speakers_not_listed,
            s.suspicious_speakers.len()
        )?;
    }
    for (name, s) in stats {
        for (reason, n) in &s.skipped {
            writeln!(out, "{name}: skipped {n}: {reason}")?;
        }
        for ex in &s.unlisted_examples {
            writeln!(out, "{name}: speaker not in participant list: {ex}")?;
        }
        for ex in &s.suspicious_speakers {
            writeln!(out, "{name}: suspicious speaker name: {ex}")?;
        }
    }
    Ok(())
}

/// `callsearch formats`: one line per layout.
pub fn layouts(out: &mut dyn Write) -> std::io::Result<()> {
    for layout in crate::transcript::LAYOUTS {
        writeln!(out, "{:<18} {}", layout.name(), layout.description())?;
    }
    use crate::transcript::tabular::{COMPONENTS_FORMAT, SHAPES, describe};
    writeln!(
        out,
        "\ndatasets (many calls per file; --columns names other columns):"
    )?;
    for shape in SHAPES {
        writeln!(out, "{:<18} {}", shape.container(), describe(shape))?;
    }
    writeln!(
        out,
        "{COMPONENTS_FORMAT:<18} one row per component (transcriptid, componentorder, transcriptcomponenttypename, transcriptpersonname, speakertypename, componenttext): the format of such calls; a text cell is read by the layouts above"
    )
}

/// A passage's file name for one line of text: escaped, from its bytes when not UTF-8.
fn shown_source(p: &Passage) -> String {
    match p.source_bytes.as_deref().and_then(crate::names::from_hex) {
        Some(bytes) => crate::names::escape_bytes(&bytes),
        None => crate::names::escape_str(&p.source),
    }
}

/// The merges after the table: brokers with their spellings, people and companies merged,
/// and calls two files hold (dropped -> kept, why).
fn print_merges(out: &mut dyn Write, m: &Merges) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "brokers: {} firms (analysts' passages; spellings merged into each)",
        m.brokers.len()
    )?;
    for b in &m.brokers {
        let merged: Vec<String> = (b.spellings.iter())
            .filter(|s| s.spelling != b.firm || b.spellings.len() > 1)
            .map(|s| format!("{} {}", s.spelling, s.passages))
            .collect();
        match merged.is_empty() {
            true => writeln!(out, "  {:<32} {:>6}", b.firm, b.passages)?,
            false => writeln!(
                out,
                "  {:<32} {:>6}  <- {}",
                b.firm,
                b.passages,
                merged.join(", ")
            )?,
        }
    }
    writeln!(
        out,
        "people: {} names merged (per company; analysts across the archive)",
        m.people.len()
    )?;
    for merge in &m.people {
        writeln!(out, "  {}: {}", merge.scope, merged_names(merge))?;
    }
    writeln!(out, "companies: {} names merged", m.companies.len())?;
    for merge in &m.companies {
        writeln!(out, "  {}: {}", merge.scope, merged_names(merge))?;
    }
    writeln!(
        out,
        "duplicate calls: {} files left out (dropped -> kept: why)",
        m.duplicates.len()
    )?;
    for d in &m.duplicates {
        writeln!(out, "  {} -> {}: {}", d.dropped, d.kept, d.why)?;
    }
    Ok(())
}

/// `Lisa Su <- Lisa T. Su, Lisa Tzwu-Fang Su`: the name shown, then the others.
fn merged_names(m: &crate::transcript::identity::Merge) -> String {
    let others: Vec<&str> = (m.spellings.iter())
        .filter(|s| **s != m.name)
        .map(String::as_str)
        .collect();
    format!("{} <- {}", m.name, others.join(", "))
}

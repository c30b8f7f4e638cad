//! `trend` printers: a table with a bar per bucket and a sparkline per series (human),
//! JSON Lines of wire messages, or CSV of the same table.

use std::io::Write;

use crate::config::{TrendBy, TrendOutput};
use crate::output::csv;
use crate::output::wire::{BucketOut, LeftOutOut, Message, TrendSummaryOut, UndatedOut, round3};
use crate::search::trend::{BucketCount, Series, TrendResult};

/// Widest bar, in characters.
const BAR_WIDTH: usize = 30;

/// Print a trend in the plan's format.
pub fn print(r: &TrendResult, format: TrendOutput, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        TrendOutput::Human => human(r, out),
        TrendOutput::Json => json(r, out),
        TrendOutput::Csv => csv_table(r, out),
    }
}

/// The name of a `--by`, as the summary shows it.
pub fn by_name(by: TrendBy) -> &'static str {
    match by {
        TrendBy::Quarter => "quarter",
        TrendBy::Year => "year",
        TrendBy::Period => "period",
    }
}

fn json(r: &TrendResult, out: &mut dyn Write) -> std::io::Result<()> {
    let (buckets, undated, summary) = messages(r);
    for m in buckets.iter().chain(&undated).chain([&summary]) {
        serde_json::to_writer(&mut *out, m)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The wire objects of `trend --json`: the buckets, the undated counts, the summary
/// (also what the web API's `/api/trend` returns).
pub fn messages(r: &TrendResult) -> (Vec<Message<'_>>, Vec<Message<'_>>, Message<'_>) {
    let mut buckets = Vec::new();
    for s in &r.series {
        for (bucket, c) in r.buckets.iter().zip(&s.counts) {
            buckets.push(Message::Bucket(BucketOut::new(
                bucket,
                s.name.as_deref(),
                c,
            )));
        }
    }
    let undated = (r.series.iter())
        .map(|s| {
            Message::Undated(UndatedOut {
                series: s.name.as_deref(),
                calls: s.undated.calls,
                passages: s.undated.passages,
            })
        })
        .collect();
    let summary = Message::TrendSummary(TrendSummaryOut {
        query: &r.query,
        matched: r.matched.describe(),
        by: by_name(r.by),
        split: r.split,
        series: r.series.iter().filter_map(|s| s.name.as_deref()).collect(),
        distinct_series: r.distinct_series,
        buckets: r.buckets.len(),
        total_hits: r.total_hits,
        calls: r.calls,
        undated_left_out: LeftOutOut::new(r.undated_left_out),
        elapsed_ms: round3(r.elapsed_ms),
    });
    (buckets, undated, summary)
}

fn csv_table(r: &TrendResult, out: &mut dyn Write) -> std::io::Result<()> {
    csv::row(
        out,
        &[
            "bucket",
            "series",
            "calls",
            "passages",
            "calls_total",
            "share",
        ],
    )?;
    for s in &r.series {
        let name = s.name.as_deref().unwrap_or("");
        for (bucket, c) in r.buckets.iter().zip(&s.counts) {
            let share = c.share().map_or(String::new(), |x| round3(x).to_string());
            let (calls, passages, total) = numbers(c);
            csv::row(
                out,
                &[bucket.as_str(), name, &calls, &passages, &total, &share],
            )?;
        }
        let (calls, passages, _) = numbers(&s.undated);
        csv::row(out, &["undated", name, &calls, &passages, "", ""])?;
    }
    Ok(())
}

fn numbers(c: &BucketCount) -> (String, String, String) {
    (
        c.calls.to_string(),
        c.passages.to_string(),
        c.calls_total.to_string(),
    )
}

fn human(r: &TrendResult, out: &mut dyn Write) -> std::io::Result<()> {
    let most = (r.series.iter())
        .flat_map(|s| s.counts.iter().map(|c| c.calls))
        .max()
        .unwrap_or(0);
    let width = r.buckets.iter().map(|b| b.len()).max().unwrap_or(6).max(7);
    for s in &r.series {
        let name = s.name.as_deref().unwrap_or("all calls");
        let span = match (r.buckets.first(), r.buckets.last()) {
            (Some(first), Some(last)) => format!("  {first} to {last}"),
            _ => String::new(),
        };
        writeln!(out, "{name}  {}{span}", sparkline(s))?;
        writeln!(
            out,
            "  {:<width$}  {:>5}  {:>8}  {:>11}  {:>5}",
            by_name(r.by),
            "calls",
            "passages",
            "calls_total",
            "share"
        )?;
        for (bucket, c) in r.buckets.iter().zip(&s.counts) {
            let share = c
                .share()
                .map_or("-".to_string(), |x| format!("{:.0}%", x * 100.0));
            let row = format!(
                "  {bucket:<width$}  {:>5}  {:>8}  {:>11}  {share:>5}  {}",
                c.calls,
                c.passages,
                c.calls_total,
                bar(c.calls, most)
            );
            writeln!(out, "{}", row.trim_end())?;
        }
        if s.undated.passages > 0 {
            writeln!(
                out,
                "  {:<width$}  {:>5}  {:>8}",
                "undated", s.undated.calls, s.undated.passages
            )?;
        }
        writeln!(out)?;
    }
    summary_line(r, out)
}

fn summary_line(r: &TrendResult, out: &mut dyn Write) -> std::io::Result<()> {
    let how = r.matched.describe();
    let series = match r.split {
        Some(split) if r.distinct_series > r.series.len() => format!(
            ", top {} of {} by {split}",
            r.series.len(),
            r.distinct_series
        ),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} matching passages in {} calls ({how}) by {}{series} in {:.1} ms",
        r.total_hits,
        r.calls,
        by_name(r.by),
        r.elapsed_ms
    )
}

/// A horizontal bar of `n` against `most`, in eighths of a character.
fn bar(n: u64, most: u64) -> String {
    if n == 0 || most == 0 {
        return String::new();
    }
    let eighths = ((n * BAR_WIDTH as u64 * 8) / most).max(1) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
    }
    s
}

/// One character per bucket, by calls: `·` for none, `▁` to `█` by height.
fn sparkline(s: &Series) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let most = s.counts.iter().map(|c| c.calls).max().unwrap_or(0);
    (s.counts.iter())
        .map(|c| match c.calls {
            0 => '·',
            n => LEVELS[((n * 8 - 1) / most.max(1)).min(7) as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_and_sparklines_scale_to_the_largest() {
        assert_eq!(bar(4, 4).chars().count(), BAR_WIDTH);
        assert_eq!(bar(2, 4).chars().count(), BAR_WIDTH / 2);
        assert_eq!(bar(0, 4), "");
        let c = |calls| BucketCount {
            calls,
            passages: calls,
            calls_total: 4,
        };
        let s = Series {
            name: None,
            counts: vec![c(0), c(1), c(4), c(2)],
            undated: c(0),
        };
        assert_eq!(sparkline(&s), "·▂█▄");
    }
}

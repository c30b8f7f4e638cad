//! The trend chart of the search page: matching calls per quarter as an inline SVG
//! bar chart drawn on the server (no script, no image request), from `trend`'s counts.

use maud::{Markup, html};

use crate::search::trend::TrendResult;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 120.0;
/// Room under the bars for the first and last bucket labels.
const LABELS: f64 = 16.0;

/// Bars of matching calls per bucket, the tallest full height; each bar's title says
/// its bucket and counts. `None` when nothing is dated.
pub fn svg(r: &TrendResult) -> Option<Markup> {
    let series = r.series.first()?;
    if r.buckets.is_empty() {
        return None;
    }
    let most = series
        .counts
        .iter()
        .map(|c| c.calls)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = WIDTH / r.buckets.len() as f64;
    let bar = (slot * 0.8).max(1.0);
    let plot = HEIGHT - LABELS;
    let first = r.buckets.first().map(String::as_str).unwrap_or_default();
    let last = r.buckets.last().map(String::as_str).unwrap_or_default();
    Some(html! {
        svg class="trend" xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width=(WIDTH) height=(HEIGHT) {
            title { "Matching calls per quarter, " (first) " to " (last) }
            @for (i, (bucket, c)) in r.buckets.iter().zip(&series.counts).enumerate() {
                @let h = (c.calls as f64 / most * plot).max(if c.calls > 0 { 1.0 } else { 0.0 });
                rect class="bar" x=(format!("{:.1}", i as f64 * slot)) y=(format!("{:.1}", plot - h))
                    width=(format!("{bar:.1}")) height=(format!("{h:.1}")) {
                    title { (bucket) ": " (c.calls) " of " (c.calls_total) " calls, " (c.passages) " passages" }
                }
            }
            text class="axis" x="0" y=(HEIGHT - 3.0) { (first) }
            text class="axis" x=(WIDTH) y=(HEIGHT - 3.0) text-anchor="end" { (last) }
        }
    })
}

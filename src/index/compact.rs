//! After a run's commit: merge the segments the run wrote into at most one per thread,
//! so every query visits a few large segments instead of one per memory flush.
//!
//! A full build of the 1 GB archive flushes 16 segments (one per 80 MB of each writer
//! thread's budget); each query then sets up its scorers, its top-k threshold and its
//! facet dictionaries 16 times. Merged into 2 (two cores), the web load check spent
//! 0.8 times the CPU per request. Merging while indexing was tried before and doubled
//! the index time, so the merge happens once, after the commit, in parallel groups.
//! Segments of earlier runs are never rewritten here: a small incremental run leaves
//! its small segments to the small-segment policy of `store::commit`.

use std::collections::HashSet;

use tantivy::index::SegmentId;
use tantivy::{Index, IndexWriter, SegmentMeta, TantivyDocument};

/// The committed segments, before a run's commit: what the run did not write.
pub fn committed_segments(index: &Index) -> tantivy::Result<HashSet<SegmentId>> {
    Ok(index.searchable_segment_ids()?.into_iter().collect())
}

/// Merge the segments committed since `before` into at most `groups` segments, the
/// groups' merges running at once; returns how many merges ran.
pub fn merge_new_segments(
    writer: &mut IndexWriter<TantivyDocument>,
    before: &HashSet<SegmentId>,
    groups: usize,
) -> tantivy::Result<usize> {
    let new: Vec<(SegmentId, u32)> = (writer.index().searchable_segment_metas()?.iter())
        .filter(|meta| !before.contains(&meta.id()))
        .map(|meta: &SegmentMeta| (meta.id(), meta.num_docs()))
        .collect();
    if new.len() <= groups.max(1) {
        return Ok(0);
    }
    let merges: Vec<_> = (balanced(new, groups).into_iter())
        .filter(|group| group.len() > 1)
        .map(|group| writer.merge(&group))
        .collect();
    let count = merges.len();
    for merge in merges {
        merge.wait()?;
    }
    Ok(count)
}

/// Segments split into `groups` groups of about equal documents: largest first, each
/// to the group with the fewest documents so far (ties: the first group). Segment ids
/// break ties of size, so the same segments always form the same groups.
fn balanced(mut segments: Vec<(SegmentId, u32)>, groups: usize) -> Vec<Vec<SegmentId>> {
    let groups = groups.max(1);
    segments.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); groups];
    for (id, docs) in segments {
        let lightest = (out.iter_mut()).min_by_key(|(total, _)| *total);
        if let Some((total, ids)) = lightest {
            *total += u64::from(docs);
            ids.push(id);
        }
    }
    out.into_iter().map(|(_, ids)| ids).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::schema::{STORED, Schema, TEXT};
    use tantivy::{Term, doc};

    fn ids(n: usize) -> Vec<SegmentId> {
        let mut ids: Vec<SegmentId> = (0..n).map(|_| SegmentId::generate_random()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn groups_hold_about_equal_documents() {
        let id = ids(5);
        let sizes = [100, 90, 50, 40, 10];
        let segments = id.iter().copied().zip(sizes).collect();
        let groups = balanced(segments, 2);
        assert_eq!(groups, vec![vec![id[0], id[3], id[4]], vec![id[1], id[2]]]);
    }

    #[test]
    fn a_run_that_wrote_few_segments_merges_nothing() {
        let (index, body) = index_with_commits(2);
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        let merged = merge_new_segments(&mut writer, &HashSet::new(), 2).unwrap();
        assert_eq!(merged, 0);
        assert_eq!(index.searchable_segment_ids().unwrap().len(), 2);
        assert_eq!(count(&index, body, "seven"), 1);
    }

    #[test]
    fn a_run_that_wrote_many_segments_leaves_one_per_group_and_every_document() {
        let (index, body) = index_with_commits(3);
        let earlier = committed_segments(&index).unwrap();
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for n in 0..5 {
            writer
                .add_document(doc!(body => format!("run two passage {n}")))
                .unwrap();
            writer.commit().unwrap();
        }
        assert_eq!(index.searchable_segment_ids().unwrap().len(), 8);
        let merged = merge_new_segments(&mut writer, &earlier, 2).unwrap();
        writer.wait_merging_threads().unwrap();
        assert_eq!(merged, 2);
        let segments = committed_segments(&index).unwrap();
        assert_eq!(
            segments.len(),
            3 + 2,
            "earlier segments kept, new ones merged"
        );
        assert!(
            earlier.is_subset(&segments),
            "an earlier segment was rewritten"
        );
        assert_eq!(count(&index, body, "run"), 5);
        assert_eq!(count(&index, body, "seven"), 1);
    }

    /// An index of `n` one-document segments (`passage seven` in the first).
    fn index_with_commits(n: usize) -> (Index, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for n in 0..n {
            let text = if n == 0 { "passage seven" } else { "passage" };
            writer.add_document(doc!(body => text)).unwrap();
            writer.commit().unwrap();
        }
        (index, body)
    }

    fn count(index: &Index, body: tantivy::schema::Field, word: &str) -> usize {
        let searcher = index.reader().unwrap().searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(body, word),
            tantivy::schema::IndexRecordOption::Basic,
        );
        searcher.search(&query, &Count).unwrap()
    }
}

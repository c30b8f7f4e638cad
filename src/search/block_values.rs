//! The values of a u64 column for a block of matches, read in one batch: tantivy hands
//! unscored matches to a collector 64 at a time, and one batched read of their rows is
//! several times cheaper than a look-up per match (`top_k::FirstByKey`, `trend`).

use tantivy::DocId;
use tantivy::columnar::Column;

/// Buffers reused from block to block.
#[derive(Default)]
pub struct BlockValues {
    docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
}

impl BlockValues {
    /// Each doc's value, in the order of `docs`, when every doc of the block has
    /// exactly one; `None` otherwise (the caller reads those one at a time).
    pub fn read(&mut self, column: &Column<u64>, docs: &[DocId]) -> Option<&[u64]> {
        self.docs.clear();
        self.rows.clear();
        column.row_ids_for_docs(docs, &mut self.docs, &mut self.rows);
        if self.docs != docs {
            return None;
        }
        self.values.resize(self.rows.len(), 0);
        column.values.get_vals(&self.rows, &mut self.values);
        Some(&self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{FAST, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument, doc};

    #[test]
    fn values_come_in_doc_order_only_when_every_doc_has_one() {
        let mut schema = Schema::builder();
        let key = schema.add_u64_field("key", FAST);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer(15_000_000).unwrap();
        for n in 0..10u64 {
            // Doc 7 has no value.
            let d = if n == 7 { doc!() } else { doc!(key => n * 100) };
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let column = searcher.segment_reader(0).fast_fields().u64("key").unwrap();
        let mut block = BlockValues::default();
        assert_eq!(block.read(&column, &[1, 2, 9]), Some(&[100, 200, 900][..]));
        assert_eq!(block.read(&column, &[6, 7, 8]), None);
        assert_eq!(block.read(&column, &[0]), Some(&[0][..]));
        assert_eq!(block.read(&column, &[]), Some(&[][..]));
    }
}

//! Visual similarity measured on rendered bitmaps: for each of the 8,105
//! general-standard characters, its 32 best visual neighbours
//! (`dictionaries/glyph_visual.tsv`, made by `scripts/build_glyph_visual.py`
//! from 10/12/14 px renderings in five typefaces; compiled by build.rs into
//! a binary table, layout in `visual/encode.rs`).
//!
//! Costs: nothing at start-up; the first call to [`VisualSim::embedded`]
//! decodes the 0.8 MB table into about 2.1 MB of arrays (no text parsing,
//! one pass over the bytes). Then [`VisualSim::neighbors`] is a binary search
//! over the sorted chars (13 steps for 8,105) and returns a borrowed slice;
//! [`VisualSim::sim`] is two such searches plus a scan of at most 64 entries.
//! Neither allocates.

mod encode;

use std::sync::OnceLock;

static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/glyph_visual.bin"));

/// A table that is not in the text format of `glyph_visual.tsv`.
#[derive(Debug, thiserror::Error)]
#[error("visual similarity table: {0}")]
pub struct VisualTableError(String);

/// Characters' visual neighbours with a similarity in `[0, 1]` (a mean
/// Pearson correlation of small anti-aliased renderings, best of ±1 px
/// shifts: about 0.9 for near-identical glyphs such as 未/末, 0.5 for
/// unrelated ones of similar density).
#[derive(Debug, Default)]
pub struct VisualSim {
    /// The chars with a row, ascending.
    keys: Vec<char>,
    /// Row `i` is `entries[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    entries: Vec<(char, f32)>,
}

impl VisualSim {
    /// The embedded table (8,105 chars, 32 neighbours each), decoded on
    /// first use.
    pub fn embedded() -> &'static VisualSim {
        static SIM: OnceLock<VisualSim> = OnceLock::new();
        SIM.get_or_init(|| VisualSim::from_bytes(TABLE).unwrap_or_default())
    }

    /// A table from text in the format of `dictionaries/glyph_visual.tsv`
    /// (`char<TAB>c:0.83 c:0.79 …`, chars ascending, each neighbour listed
    /// with a line of its own).
    pub fn parse(text: &str) -> Result<VisualSim, VisualTableError> {
        let bytes = encode::encode(text).map_err(VisualTableError)?;
        VisualSim::from_bytes(&bytes)
            .ok_or_else(|| VisualTableError("inconsistent binary form".to_string()))
    }

    /// Decode the binary layout of `visual/encode.rs`; `None` when the
    /// bytes are truncated or inconsistent.
    fn from_bytes(b: &[u8]) -> Option<VisualSim> {
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
        };
        let n = u32_at(0)? as usize;
        let m = u32_at(4)? as usize;
        let lens_at = 8 + 4 * n;
        let entries_at = lens_at + n;
        if b.len() != entries_at + 3 * m {
            return None;
        }
        let keys = (0..n)
            .map(|i| char::from_u32(u32_at(8 + 4 * i)?))
            .collect::<Option<Vec<char>>>()?;
        let mut starts = Vec::with_capacity(n + 1);
        let mut total = 0u32;
        starts.push(0);
        for &len in &b[lens_at..entries_at] {
            total += u32::from(len);
            starts.push(total);
        }
        if total as usize != m {
            return None;
        }
        let entries = b[entries_at..]
            .chunks_exact(3)
            .map(|e| {
                let j = usize::from(u16::from_le_bytes([e[0], e[1]]));
                Some((*keys.get(j)?, f32::from(e[2]) / 100.0))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(VisualSim {
            keys,
            starts,
            entries,
        })
    }

    /// Number of chars with a row.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The visual neighbours of `ch`, best candidate first (empty if `ch`
    /// has no row). The order is the candidate rank of the build script:
    /// the visual score plus a small frequency prior (0.05 × log10 of the
    /// char's count in `chars.tsv`), so among near-equal scores the common
    /// char comes first; the score returned is the visual one alone.
    /// Cost: a binary search over the chars.
    pub fn neighbors(&self, ch: char) -> &[(char, f32)] {
        match self.keys.binary_search(&ch) {
            Ok(i) => &self.entries[self.starts[i] as usize..self.starts[i + 1] as usize],
            Err(_) => &[],
        }
    }

    /// The visual similarity of `a` and `b` when either lists the other
    /// (the larger of the two scores when both do; the measure is symmetric
    /// up to the ±1 px shift at the borders), else `None`. Cost: two
    /// binary searches and a scan of at most 64 entries.
    pub fn sim(&self, a: char, b: char) -> Option<f32> {
        let find = |x: char, y: char| self.neighbors(x).iter().find(|(c, _)| *c == y).map(|p| p.1);
        match (find(a, b), find(b, a)) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# comment\n\
        人\t入:0.90 八:0.70\n\
        入\t人:0.88\n\
        八\t人:0.70 入:0.55\n";

    #[test]
    fn parse_keeps_rows_in_file_order() {
        let v = VisualSim::parse(SMALL).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v.neighbors('人'), &[('入', 0.90), ('八', 0.70)]);
        assert_eq!(v.neighbors('八'), &[('人', 0.70), ('入', 0.55)]);
        assert!(v.neighbors('大').is_empty());
    }

    #[test]
    fn sim_reads_either_direction() {
        let v = VisualSim::parse(SMALL).unwrap();
        // both list the other: the larger score
        assert_eq!(v.sim('人', '入'), Some(0.90));
        assert_eq!(v.sim('入', '人'), Some(0.90));
        // only 八 lists 入
        assert_eq!(v.sim('入', '八'), Some(0.55));
        assert_eq!(v.sim('八', '入'), Some(0.55));
        assert_eq!(v.sim('人', '大'), None);
        assert_eq!(v.sim('大', '太'), None);
    }

    #[test]
    fn parse_rejects_malformed_tables() {
        for bad in [
            "入\t人:0.88\n人\t入:0.90\n",   // not ascending
            "人\t入:0.90\n",                // neighbour without a row
            "人\t人:0.90\n",                // itself
            "人\t入=0.90\n入\t人:0.88\n",   // not char:score
            "人\t入:3.00\n入\t人:0.88\n",   // score out of range
            "人入\t入:0.90\n入\t人:0.88\n", // two-char key
            "人 入:0.90\n",                 // no tab
        ] {
            assert!(VisualSim::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn truncated_bytes_are_refused() {
        let bytes = encode::encode(SMALL).unwrap();
        assert!(VisualSim::from_bytes(&bytes).is_some());
        for cut in [0, 4, 9, bytes.len() - 1] {
            assert!(VisualSim::from_bytes(&bytes[..cut]).is_none(), "{cut}");
        }
    }

    #[test]
    fn embedded_table_covers_the_general_standard_chars() {
        let v = VisualSim::embedded();
        assert_eq!(v.len(), 8105);
        for &k in &v.keys {
            let row = v.neighbors(k);
            assert_eq!(row.len(), 32, "{k}");
            assert!(row.iter().all(|&(c, s)| c != k && (0.0..=1.0).contains(&s)));
        }
        // textbook look-alikes are near the top of each other's rows
        for (a, b) in [('未', '末'), ('己', '已'), ('日', '目'), ('土', '士')] {
            let pos = v.neighbors(a).iter().position(|x| x.0 == b);
            assert!(pos.is_some_and(|p| p < 4), "{a} {b}: {pos:?}");
            assert!(v.sim(a, b).unwrap() > 0.8, "{a} {b}");
        }
        assert!(v.neighbors('a').is_empty());
    }
}

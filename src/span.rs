//! Byte spans into a text and their human-facing locations.
//!
//! Every offset zhclean reports refers to the **original** input text. A
//! [`Span`] is a half-open byte range; [`Location`] adds what people and
//! other programs need: character (Unicode scalar) offsets and a 1-based
//! line / character column.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a UTF-8 text.
///
/// Invariant: `start <= end`. Whether both ends fall on char boundaries
/// depends on the text, so constructors that know the text check it
/// ([`Span::checked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span `start..end`. Panics if `start > end` (a programming error).
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }

    /// An empty span at `at` (an insertion point).
    pub fn empty(at: usize) -> Span {
        Span { start: at, end: at }
    }

    /// A span checked against `text`: in bounds and on char boundaries.
    pub fn checked(text: &str, start: usize, end: usize) -> Option<Span> {
        (start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end))
        .then_some(Span { start, end })
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty span (an insertion point).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span moved right by `by` bytes.
    pub fn shift(&self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }

    /// True if the two spans share at least one byte, or if one is an empty
    /// span strictly inside the other. Spans that merely touch
    /// (`a.end == b.start`) do not overlap.
    pub fn overlaps(&self, other: &Span) -> bool {
        if self.is_empty() && other.is_empty() {
            return self.start == other.start;
        }
        if self.is_empty() {
            return other.start < self.start && self.start < other.end;
        }
        if other.is_empty() {
            return self.start < other.start && other.start < self.end;
        }
        self.start < other.end && other.start < self.end
    }
}

/// Where a span sits in the original text, in every unit users ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Byte offsets into the original (decoded UTF-8) text.
    pub byte_start: usize,
    /// End byte offset (exclusive).
    pub byte_end: usize,
    /// Offsets in Unicode scalar values (what Python's `str` indexes).
    pub char_start: usize,
    /// End char offset (exclusive).
    pub char_end: usize,
    /// 1-based line of `byte_start`.
    pub line: usize,
    /// 1-based column of `byte_start`, counted in chars.
    pub column: usize,
}

/// Converts byte offsets of one text into [`Location`]s.
///
/// Cost: building is O(n) over the text; each lookup is O(log lines) plus a
/// scan of one line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// Char offset of the start of every line.
    line_char_starts: Vec<usize>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut line_char_starts = vec![0];
        let mut chars = 0usize;
        for (i, c) in text.char_indices() {
            chars += 1;
            if c == '\n' {
                line_starts.push(i + 1);
                line_char_starts.push(chars);
            }
        }
        LineIndex {
            line_starts,
            line_char_starts,
        }
    }

    /// The location of `span` in `text` (the text this index was built on).
    pub fn locate(&self, text: &str, span: Span) -> Location {
        self.locate_from(text, span, &mut (0, 0))
    }

    /// Like [`LineIndex::locate`], counting chars from `cursor` (a byte
    /// offset and its char offset, left at `span.start`) when it lies on the
    /// same line before `span`: spans located in increasing order cost one
    /// pass over the text, however long its lines.
    pub fn locate_from(&self, text: &str, span: Span, cursor: &mut (usize, usize)) -> Location {
        let line_idx = match self.line_starts.binary_search(&span.start) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let ls = self.line_starts[line_idx];
        let line_chars = self.line_char_starts[line_idx];
        if cursor.0 < ls || cursor.0 > span.start {
            *cursor = (ls, line_chars);
        }
        cursor.1 += text[cursor.0..span.start].chars().count();
        cursor.0 = span.start;
        let char_start = cursor.1;
        let col_chars = char_start - line_chars;
        let char_end = char_start + text[span.start..span.end].chars().count();
        Location {
            byte_start: span.start,
            byte_end: span.end,
            char_start,
            char_end,
            line: line_idx + 1,
            column: col_chars + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_from_a_cursor_equals_locate() {
        let text = "第一行，有字。\n第二行 abc，再来。\r\n\n最后一行很长很长很长";
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let li = LineIndex::new(text);
        // increasing spans share one cursor; a span behind it resets it
        let mut spans: Vec<Span> = starts
            .iter()
            .zip(starts.iter().skip(2).chain([&text.len(), &text.len()]))
            .map(|(&a, &b)| Span::new(a, b))
            .collect();
        spans.push(Span::new(starts[3], starts[5]));
        spans.push(Span::empty(text.len()));
        let mut cursor = (0, 0);
        for s in spans {
            let a = li.locate(text, s);
            let b = li.locate_from(text, s, &mut cursor);
            assert_eq!(a, b, "{s:?}");
            assert_eq!(cursor.0, s.start);
        }
    }

    #[test]
    fn overlap_rules() {
        let a = Span::new(0, 3);
        assert!(a.overlaps(&Span::new(2, 5)));
        assert!(
            !a.overlaps(&Span::new(3, 5)),
            "touching spans do not overlap"
        );
        assert!(a.overlaps(&Span::empty(1)));
        assert!(!a.overlaps(&Span::empty(3)));
        assert!(Span::empty(3).overlaps(&Span::empty(3)));
    }

    #[test]
    fn checked_rejects_mid_char() {
        let t = "孙雄";
        assert!(Span::checked(t, 0, 3).is_some());
        assert!(Span::checked(t, 1, 3).is_none());
        assert!(Span::checked(t, 0, 7).is_none());
    }

    #[test]
    fn locate_lines_and_chars() {
        let t = "一二\n三四五\nab";
        let idx = LineIndex::new(t);
        let start = t.find('四').unwrap();
        let loc = idx.locate(t, Span::new(start, start + 3));
        assert_eq!(
            (loc.line, loc.column, loc.char_start, loc.char_end),
            (2, 2, 4, 5)
        );
        let b = t.find('b').unwrap();
        let loc = idx.locate(t, Span::new(b, b + 1));
        assert_eq!((loc.line, loc.column, loc.char_start), (3, 2, 8));
    }
}

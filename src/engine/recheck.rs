//! The passes after the first over a piece of a long line re-check only the
//! sentences around what the pass before changed.
//!
//! A fix a later pass can add is one an earlier change enabled (or one an
//! overlapping edit blocked): next to a change. Re-running every rule on a
//! whole piece ([`super::MAX_BLOCK_BYTES`], which almost always holds a
//! change) for those made fixing a long line cost twice the CPU of the
//! same text in lines; a line's own later passes re-check only that line.
//! Pieces are cut after sentence ends and their paragraph-level rules stay
//! quiet, so a stretch of whole sentences is checked like the piece would
//! check it.

use super::Engine;
use crate::apply::SourceMap;
use crate::correct::decoder::segment_ends;
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::rules::Block;

impl Engine<'_> {
    /// Run the rules (those that can reach `needed`) on the stretches of
    /// `block`, a piece of a long line after a pass changed it (`map`: from
    /// the text before the change to `block.text`): each change with the
    /// sentence it is in and one sentence on each side. Spans are relative
    /// to `block.text`.
    pub(super) fn recheck_changes(
        &self,
        block: &Block<'_>,
        map: &SourceMap,
        needed: Option<Applicability>,
    ) -> Vec<Finding> {
        let body = block.body();
        let ends = segment_ends(body);
        let mut stretches: Vec<(usize, usize)> = Vec::new();
        for r in map.regions() {
            let (s, e) = (r.new.start.min(body.len()), r.new.end.min(body.len()));
            let i = ends.partition_point(|&x| x <= s);
            let a = if i >= 2 { ends[i - 2] } else { 0 };
            let j = ends.partition_point(|&x| x < e);
            let b = ends.get(j + 1).copied().unwrap_or(body.len());
            match stretches.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => stretches.push((a, b)),
            }
        }
        let mut found = Vec::new();
        for (a, b) in stretches {
            // the stretch at the piece's end keeps its separator and next
            // block; the one at its start, its look-back
            let last = b == body.len();
            let text = if last {
                &block.text[a..]
            } else {
                &block.text[a..b]
            };
            let prev = if a == 0 { block.prev } else { &[] };
            let next = if last { block.next } else { None };
            let mut sub = Block::new(text, b - a, block.index, prev, next, block.pass);
            sub.continued = a > 0 || block.continued;
            sub.continues = !last || block.continues;
            sub.next_is_piece = last && block.next_is_piece;
            sub.after_blank_run = a == 0 && block.after_blank_run;
            let start = found.len();
            found.extend(self.run_rules(&sub, needed));
            for f in &mut found[start..] {
                f.rebase(a);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::edit::Edit;
    use crate::rules::RuleMeta;
    use std::sync::Mutex;

    static COMMA: RuleMeta = RuleMeta {
        code: "X011",
        name: "test-comma",
        summary: "ASCII comma",
        default_tier: Applicability::Safe,
        doc: "",
    };
    static AFTER: RuleMeta = RuleMeta {
        code: "X012",
        name: "test-after-comma",
        summary: "`乙，` to `乙、`; records the bodies later passes check",
        default_tier: Applicability::Safe,
        doc: "",
    };

    fn replace_all(b: &Block<'_>, from: &str, to: &str, code: &'static str) -> Vec<Finding> {
        b.body()
            .match_indices(from)
            .map(|(i, _)| {
                let span = Span::new(i, i + from.len());
                Finding::new(code, span, "x", Default::default())
                    .with_fix(Fix::single(Applicability::Safe, Edit::replace(span, to)))
            })
            .collect()
    }

    struct Comma;
    impl Rule for Comma {
        fn meta(&self) -> &'static RuleMeta {
            &COMMA
        }
        fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
            out.extend(replace_all(b, ",", "，", "X011"));
        }
    }

    /// Only finds something once the comma is fixed: a fix of a later pass.
    struct AfterComma(&'static Mutex<Vec<usize>>);
    impl Rule for AfterComma {
        fn meta(&self) -> &'static RuleMeta {
            &AFTER
        }
        fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
            if b.pass > 0 {
                self.0.lock().unwrap().push(b.body().len());
            }
            out.extend(replace_all(b, "乙，", "乙、", "X012"));
        }
    }

    #[test]
    fn later_passes_over_pieces_check_only_around_changes() {
        let lex = Box::leak(Box::new(
            Lexicon::from_entries(Vec::<(String, _)>::new()).unwrap(),
        ));
        let seen: &'static Mutex<Vec<usize>> = Box::leak(Box::default());
        let e = Engine::with_rules(
            lex,
            vec![Box::new(Comma), Box::new(AfterComma(seen))],
            Options {
                apply: Some(Applicability::Safe),
                ..Options::default()
            },
        )
        .with_max_block_bytes(2000);
        // one line of 300 sentences cut into pieces of 2000 bytes; every
        // 20th sentence has a comma to fix, which enables a second fix
        let sentence = |i: usize| {
            if i % 20 == 7 {
                "我们甲乙,丙丁都到了。".to_string()
            } else {
                format!("第{i}句话说得很清楚。")
            }
        };
        let line: String = (0..300).map(sentence).collect();
        let o = pool_of_one(|| e.process_str(&format!("{line}\n")));
        let want: String = (0..300)
            .map(|i| sentence(i).replace("乙,", "乙、"))
            .collect();
        assert_eq!(o.text, format!("{want}\n"));
        assert_eq!(o.findings.iter().filter(|f| f.rule == "X012").count(), 15);
        let seen = seen.lock().unwrap();
        assert!(!seen.is_empty());
        // a sentence with the change and one on each side, never a piece
        let longest = "第299句话说得很清楚。".len() * 2 + "我们甲乙，丙丁都到了。".len();
        assert!(
            seen.iter().all(|&n| n <= longest),
            "later passes checked {seen:?} bytes"
        );
    }

    fn pool_of_one<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(f)
    }
}

//! Lines longer than the block limit: cut into pieces, cleaned like the
//! same text in one block, with no paragraph-level finding at a cut.

use super::*;
use proptest::prelude::*;

/// The default engine applying `apply`, with blocks of at most `limit` bytes.
pub(super) fn full(apply: Option<Applicability>, limit: usize) -> Engine<'static> {
    Engine::new(
        Lexicon::embedded(),
        Options {
            apply,
            ..Options::default()
        },
    )
    .with_max_block_bytes(limit)
}

/// The blocks the engine hands out, and the whole result.
fn run(e: &Engine<'_>, text: &str) -> (Vec<BlockOutput>, Outcome) {
    let mut blocks = Vec::new();
    e.process_reader(text.as_bytes(), |b| {
        blocks.push(b);
        Ok(())
    })
    .unwrap();
    let out = Outcome {
        text: blocks.iter().map(|b| b.cleaned.as_str()).collect(),
        findings: blocks.iter().flat_map(|b| b.findings.clone()).collect(),
    };
    (blocks, out)
}

/// Sentences whose errors are all within the sentence: an ASCII comma or
/// colon between Han chars, a doubled `的`, a full-width digit.
const SENTENCES: &[&str] = &[
    "我们今天上午去了公园,天气非常好。",
    "大家一起讨论了工作中的的问题。",
    "会议在３号楼举行，共有十二人参加。",
    "他认真地完成了老师布置的作业,受到了表扬。",
    "今年的粮食产量比去年增加了很多。",
    "这本书介绍了许多有趣的历史故事！",
];

/// Bytes of the longest of [`SENTENCES`] (a cut after a sentence end is
/// found when the limit is at least twice this).
const LONGEST: usize = 61;

#[test]
fn longest_sentence() {
    assert_eq!(SENTENCES.iter().map(|s| s.len()).max(), Some(LONGEST));
}

fn codes(o: &Outcome) -> Vec<&str> {
    o.findings.iter().map(|f| f.rule.as_ref()).collect()
}

#[test]
fn pieces_clean_like_separate_lines() {
    let sentences: Vec<&str> = (0..12).map(|i| SENTENCES[i % SENTENCES.len()]).collect();
    // distinct lines (numbered, so that no line repeats another)
    let numbered: Vec<String> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "第{}条{s}",
                "一二三四五六七八九十甲乙".chars().nth(i).unwrap()
            )
        })
        .collect();
    let line = numbered.concat();
    let lines = numbered.join("\n");
    for apply in [Applicability::Safe, Applicability::Review] {
        // every sentence is shorter than half the limit: cuts fall after
        // sentence ends
        let e = full(Some(apply), 2 * LONGEST + 20);
        let (blocks, long) = run(&e, &line);
        assert!(blocks.len() > 3, "the line is cut: {} blocks", blocks.len());
        assert!(blocks.iter().all(|b| b.original.ends_with(['。', '！'])));
        let split = full(Some(apply), MAX_BLOCK_BYTES).process_str(&lines);
        assert_eq!(long.text, split.text.replace('\n', ""));
        assert!(long.text.contains("公园，天气"));
        assert_eq!(
            long.text.contains("中的问题"),
            apply == Applicability::Review
        );
        assert!(long.text.contains("在3号楼"));
    }
}

#[test]
fn output_independent_of_the_limit() {
    let line: String = (0..20)
        .map(|i| SENTENCES[(i * 7) % SENTENCES.len()])
        .collect();
    let text = format!("标题\n\n{line}\n\n最后一段也很普通,没有别的。\n");
    let whole = full(Some(Applicability::Review), MAX_BLOCK_BYTES).process_str(&text);
    for limit in [2 * LONGEST, 200, 333, 1000] {
        let e = full(Some(Applicability::Review), limit);
        let o = e.process_str(&text);
        assert_eq!(o.text, whole.text, "limit {limit}");
        assert_eq!(o.findings, whole.findings, "limit {limit}");
    }
}

#[test]
fn no_final_stop_join_or_deletion_at_a_cut() {
    // one clause of prose, no sentence end: cut between Han chars
    let clause = "我们在这里认真工作，大家都很努力地完成各项任务";
    let line = clause.repeat(8);
    let text = format!("{line}\n\n下一段接着说明情况，内容和上面的不一样。\n");
    let e = full(Some(Applicability::Review), 90);
    let (blocks, o) = run(&e, &text);
    assert!(blocks.iter().filter(|b| b.continues).count() >= 3);
    // S501 / P211 / P210 / R403 / R404 / P202 never fire on pieces
    for c in codes(&o) {
        assert!(
            !["P210", "P211", "S501", "R403", "R404", "P202", "P203"].contains(&c),
            "{c} at a cut: {:?}",
            o.findings
        );
    }
    assert_eq!(o.text, text, "nothing to fix");
}

#[test]
fn repeated_pieces_are_not_duplicate_paragraphs() {
    // identical pieces: each would be a duplicate paragraph if it were one
    let s = "发展壮大村级集体经济是一项重要举措，要坚持不懈地抓好落实。";
    let line = s.repeat(10);
    let text = format!("{s}\n{line}\n");
    let e = full(Some(Applicability::Review), s.len());
    let (blocks, o) = run(&e, &text);
    assert!(blocks.len() >= 10);
    assert!(
        !codes(&o).iter().any(|c| c.starts_with("R40")),
        "{:?}",
        codes(&o)
    );
    assert_eq!(o.text, text);
    // a whole paragraph repeating the first is still deleted
    let text2 = format!("{s}\n{line}\n{s}\n");
    let o2 = e.process_str(&text2);
    assert!(codes(&o2).contains(&"R403"));
}

#[test]
fn quote_closing_in_the_next_piece() {
    let line = "他说：“今天的天气很好。我们一起去公园散步吧。明天再去图书馆看书。”大家都同意了。";
    let e = full(None, 40);
    let (blocks, o) = run(&e, line);
    assert!(blocks.len() >= 2);
    assert!(blocks[0].original.contains('“') && !blocks[0].original.contains('”'));
    assert!(!codes(&o).contains(&"P202"), "{:?}", codes(&o));
}

#[test]
fn locations_in_a_later_piece() {
    let line: String = (0..10).map(|i| SENTENCES[i % SENTENCES.len()]).collect();
    let text = format!("第一行\r\n\r\n{line}\n尾行,完。\n");
    let whole = full(None, MAX_BLOCK_BYTES).process_str(&text);
    let e = full(None, 50);
    let (blocks, cut) = run(&e, &text);
    assert!(blocks.len() > 6);
    assert_eq!(cut.findings, whole.findings);
    // the last finding on line 3 lies in a later piece
    let f = cut
        .findings
        .iter()
        .rev()
        .find(|f| f.location.unwrap().line == 3)
        .unwrap();
    let loc = f.location.unwrap();
    let line_start = "第一行\r\n\r\n".len();
    let before = &text[line_start..loc.byte_start];
    assert!(before.len() > 50, "in a later piece");
    assert_eq!(loc.column, before.chars().count() + 1);
    assert_eq!(loc.char_start, text[..loc.byte_start].chars().count());
    assert_eq!(&text[loc.byte_start..loc.byte_end], f.original);
    let tail = cut.findings.last().unwrap().location.unwrap();
    assert_eq!((tail.line, tail.column), (4, 3));
}

#[test]
fn identity_when_nothing_is_applied() {
    let long: String = (0..30).map(|i| SENTENCES[i % SENTENCES.len()]).collect();
    for text in [
        long.clone(),
        format!("\n\n{long}\r\n \n\n{long}"),
        format!("{}\n", "汉".repeat(500)),
        format!("{}  \n", "ab cd ".repeat(60)),
        format!("{}\n甲", " ".repeat(300)),
        "e\u{301}".repeat(200),
    ] {
        for limit in [16, 17, 64, 200] {
            let (blocks, o) = run(&full(None, limit), &text);
            assert_eq!(o.text, text, "limit {limit}");
            let original: String = blocks.iter().map(|b| b.original.as_str()).collect();
            assert_eq!(original, text);
        }
    }
}

#[test]
fn line_without_sentence_end_is_cut() {
    // 3 MB of Han chars, no sentence end: pieces of at most the limit
    let text = "汉字".repeat(500_000);
    let e = Engine::with_rules(Lexicon::embedded(), Vec::new(), Options::default())
        .with_max_block_bytes(64 * 1024);
    let mut pieces = 0;
    let mut total = 0;
    e.process_reader(text.as_bytes(), |b| {
        assert!(b.original.len() <= 64 * 1024);
        assert_eq!(b.original.len() % 3, 0, "whole chars");
        assert_eq!(b.continues, total + b.original.len() < text.len());
        assert_eq!(b.continued, total > 0);
        total += b.original.len();
        pieces += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(total, text.len());
    assert!(pieces >= text.len() / (64 * 1024));
}

#[test]
fn invalid_utf8_in_a_long_line_reports_offset() {
    let mut bytes = "汉".repeat(100).into_bytes();
    bytes.push(0xff);
    bytes.extend_from_slice("字".repeat(10).as_bytes());
    let e = full(None, 32);
    let err = e.process_reader(&bytes[..], |_| Ok(())).unwrap_err();
    assert!(
        matches!(err, EngineError::InvalidUtf8 { offset: 300 }),
        "{err:?}"
    );
}

#[test]
fn long_runs_of_blank_lines_are_cut() {
    let text = format!(
        "\n\n{}甲乙丙丁，戊己庚辛。\n{}{}下一段也很普通。\r\n{}",
        "\n".repeat(300),
        "\n".repeat(2000),
        " \t\n".repeat(100),
        "\r\n".repeat(500)
    );
    let whole = full(Some(Applicability::Safe), MAX_BLOCK_BYTES).process_str(&text);
    let e = full(Some(Applicability::Safe), 64);
    let (blocks, o) = run(&e, &text);
    assert!(blocks.len() > 20);
    assert!(blocks.iter().all(|b| b.original.len() <= 2 * 64 + 8));
    assert_eq!(o.text, whole.text);
    assert_eq!(o.text, "\n甲乙丙丁，戊己庚辛。\n\n下一段也很普通。\r\n\r\n");
    let (_, same) = run(&full(None, 64), &text);
    assert_eq!(same.text, text);
    // paragraph numbers do not count the cut runs
    let dup = "发展壮大村级集体经济是一项重要举措，要坚持不懈地抓好落实。";
    let text = format!("{dup}\n{}{dup}\n", "\n".repeat(1000));
    let (blocks, o) = run(&full(None, 128), &text);
    assert!(blocks.len() > 8);
    let f = o.findings.iter().find(|f| f.rule == "R403").unwrap();
    assert!(f.message.contains("paragraph 1 "), "{}", f.message);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn within_sentence_fixes_do_not_depend_on_the_limit(
        picks in prop::collection::vec(0usize..SENTENCES.len(), 1..12),
        limit in 2 * LONGEST..400,
        newline in any::<bool>(),
    ) {
        let mut text: String = picks.iter().map(|&i| SENTENCES[i]).collect();
        if newline {
            text.push('\n');
        }
        let whole = full(Some(Applicability::Safe), MAX_BLOCK_BYTES).process_str(&text);
        let cut = full(Some(Applicability::Safe), limit).process_str(&text);
        prop_assert_eq!(&cut.text, &whole.text);
        prop_assert_eq!(&cut.findings, &whole.findings);
    }
}

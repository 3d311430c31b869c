//! User data: file errors with file and line, user words in the lexicon,
//! user corrections (C701) and the allow-list winning over them and over
//! other rules.
use std::io::Write;
use std::path::{Path, PathBuf};
use zhclean::edit::{Applicability, Edit, Fix};
use zhclean::engine::{Engine, Options};
use zhclean::finding::{Evidence, Finding};
use zhclean::lexicon::user::{self, UserDataError};
use zhclean::lexicon::{Entry, Lexicon, WordFlags};
use zhclean::rules::{Block, Context, Rule, RuleMeta};
use zhclean::span::Span;

fn file(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(content)
        .unwrap();
    p
}

/// The error must be `Malformed` at `line` of `path`, mentioning `needle`.
fn assert_malformed<T: std::fmt::Debug>(
    r: Result<T, UserDataError>,
    path: &Path,
    line: usize,
    needle: &str,
) {
    match r {
        Err(e @ UserDataError::Malformed { .. }) => {
            let msg = e.to_string();
            let UserDataError::Malformed {
                path: p, line: l, ..
            } = &e
            else {
                unreachable!()
            };
            assert_eq!(p, path);
            assert_eq!(*l, line, "{msg}");
            assert!(msg.contains(needle), "{msg} lacks {needle}");
            assert!(
                msg.starts_with(&format!("{}:{line}: ", path.display())),
                "{msg}"
            );
        }
        other => panic!("expected a malformed-line error, got {other:?}"),
    }
}

#[test]
fn word_files_parse_and_report_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ok = file(
        &dir,
        "ok.txt",
        "\u{feff}# names\n夏都\n青海湖  50\n\n张三丰\t20\tperson\n某词 7 idiom,place\n".as_bytes(),
    );
    let w = user::load_words(&ok).unwrap();
    assert_eq!(w.len(), 4);
    assert_eq!(w[0].0, "夏都");
    assert_eq!(w[0].1.freq, user::DEFAULT_USER_FREQ);
    assert_eq!(w[1].1.freq, 50);
    assert_eq!(w[2].1.flags, WordFlags::PERSON);
    assert_eq!(w[3].1.flags, WordFlags::IDIOM.union(WordFlags::PLACE));

    let p = file(&dir, "freq.txt", "甲乙\n丙丁 many\n".as_bytes());
    assert_malformed(user::load_words(&p), &p, 2, "not a whole number");
    let p = file(&dir, "fields.txt", "# c\n甲乙 1 place 额外\n".as_bytes());
    assert_malformed(user::load_words(&p), &p, 2, "4 fields");
    let p = file(&dir, "flag.txt", "甲乙 1 city\n".as_bytes());
    assert_malformed(user::load_words(&p), &p, 1, "unknown flag `city`");
    let p = file(&dir, "big.txt", "甲乙 99999999999999999\n".as_bytes());
    assert_malformed(user::load_words(&p), &p, 1, "too large");
    let p = file(&dir, "utf8.txt", b"\xe7\x94\xb2\n\xff\xfe\n");
    assert_malformed(user::load_words(&p), &p, 2, "UTF-8");
    let missing = dir.path().join("missing.txt");
    assert!(matches!(
        user::load_words(&missing),
        Err(UserDataError::Io { .. })
    ));
}

#[test]
fn allow_and_correction_files_report_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "allow.txt", "# keep\n夏都\n 青海湖 \n".as_bytes());
    assert_eq!(user::load_allow(&p).unwrap(), vec!["夏都", "青海湖"]);
    let p = file(&dir, "allow_tab.txt", "夏都\n甲\t乙\n".as_bytes());
    assert_malformed(user::load_allow(&p), &p, 2, "tab");

    let p = file(
        &dir,
        "corr.txt",
        "登陆\t登录\n帐号 -> 账号\n登陆\t登录\n".as_bytes(),
    );
    assert_eq!(
        user::load_corrections(&p).unwrap(),
        vec![
            ("登陆".to_string(), "登录".to_string()),
            ("帐号".to_string(), "账号".to_string())
        ]
    );
    let cases: &[(&str, usize, &str)] = &[
        ("甲乙\n", 1, "expected `wrong<TAB>right`"),
        ("甲\t乙\t丙\n", 1, "3 tab-separated fields"),
        ("\t乙\n", 1, "wrong side is empty"),
        ("甲 ->\n", 1, "right side of `甲` is empty"),
        ("# x\n甲 -> 甲\n", 2, "corrected to itself"),
        (
            "甲\t乙\n\n甲\t丙\n",
            3,
            "already corrected to `乙` on line 1",
        ),
        // The same wrong side once decomposed, once composed (NFC makes
        // them one key).
        (
            "cafe\u{301}\t乙\ncaf\u{e9}\t丙\n",
            2,
            "already corrected to `乙` on line 1",
        ),
    ];
    for (i, (content, line, needle)) in cases.iter().enumerate() {
        let p = file(&dir, &format!("bad{i}.txt"), content.as_bytes());
        assert_malformed(user::load_corrections(&p), &p, *line, needle);
    }
}

#[test]
fn user_words_join_the_lexicon() {
    let dir = tempfile::tempdir().unwrap();
    let p = file(&dir, "words.txt", "夏都湖 5000 place\n".as_bytes());
    let base = Lexicon::embedded();
    assert!(!base.contains("夏都湖"));
    let lex = user::load_user_lexicon(base, &[p]).unwrap();
    let e = lex.get("夏都湖").unwrap();
    assert!(e.flags.contains(WordFlags::USER) && e.flags.contains(WordFlags::PLACE));
    assert_eq!(lex.len(), base.len() + 1);
    assert_eq!(lex.get("我们"), base.get("我们"));
    let text = "夏都湖很美";
    let first = lex.segment(text)[0].span;
    assert_eq!(&text[first.start..first.end], "夏都湖");

    // A compiled .fst user lexicon loads the same way.
    let compiled = Lexicon::from_entries(vec![(
        "夏都湖",
        Entry {
            freq: 5000,
            flags: WordFlags::PLACE,
        },
    )])
    .unwrap();
    let fst = dir.path().join("user.fst");
    std::fs::write(&fst, compiled.fst().as_bytes()).unwrap();
    let small = Lexicon::from_entries(vec![("我们", Entry::default())]).unwrap();
    let lex2 = user::load_user_lexicon(&small, &[fst]).unwrap();
    assert_eq!(lex2.get("夏都湖"), lex.get("夏都湖"));
    assert_eq!(lex2.len(), 2);
}

static TEST_META: RuleMeta = RuleMeta {
    code: "X999",
    name: "test-replace-du",
    summary: "test rule: replaces 都 with 部",
    default_tier: Applicability::Safe,
    doc: "## What\n## Why\n## Example\n## Fix safety\n",
};

/// A stand-in rule that "corrects" every 都 to 部.
struct ReplaceDu;

impl Rule for ReplaceDu {
    fn meta(&self) -> &'static RuleMeta {
        &TEST_META
    }
    fn check(&self, _ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        for (i, _) in block.body().match_indices('都') {
            let span = Span::new(i, i + '都'.len_utf8());
            out.push(
                Finding::new("X999", span, "test", Evidence::new(1.0, "test"))
                    .with_fix(Fix::single(Applicability::Safe, Edit::replace(span, "部"))),
            );
        }
    }
}

fn opts(allow: &[&str], corrections: &[(&str, &str)]) -> Options {
    Options {
        apply: Some(Applicability::Safe),
        allow: allow.iter().map(|s| s.to_string()).collect(),
        corrections: corrections
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..Options::default()
    }
}

#[test]
fn user_corrections_apply_and_the_allow_list_wins() {
    let lex = Lexicon::embedded();
    let fix = [("青海胡", "青海湖")];
    let out = Engine::new(lex, opts(&[], &fix)).process_str("青海胡很美，青海胡很大。\n");
    assert_eq!(out.text, "青海湖很美，青海湖很大。\n");
    assert!(out.findings.iter().all(|f| f.rule == "C701" && f.applied));
    assert_eq!(out.findings.len(), 2);
    // Applying is idempotent even when the right side contains the wrong one.
    let grow = [("北京", "北京市")];
    let out = Engine::new(lex, opts(&[], &grow)).process_str("北京和北京市\n");
    assert_eq!(out.text, "北京市和北京市\n");
    // Corrections neither chain nor cycle across the engine's passes.
    let chain = [("甲", "乙"), ("乙", "丙")];
    let out = Engine::new(lex, opts(&[], &chain)).process_str("甲乙\n");
    assert_eq!(out.text, "乙丙\n");
    let cycle = [("甲", "乙"), ("乙", "甲")];
    let out = Engine::new(lex, opts(&[], &cycle)).process_str("甲乙\n");
    assert_eq!(out.text, "乙甲\n");
    // Allow-listed term beats the user correction.
    let out = Engine::new(lex, opts(&["青海胡"], &fix)).process_str("青海胡很美。\n");
    assert_eq!(out.text, "青海胡很美。\n");
    assert!(out.findings.is_empty());
    // Disabled by code like any rule.
    let mut o = opts(&[], &fix);
    o.disabled.insert("C701".into());
    let out = Engine::new(lex, o).process_str("青海胡很美。\n");
    assert_eq!(out.text, "青海胡很美。\n");
}

#[test]
fn the_allow_list_beats_a_rule() {
    let lex = Lexicon::embedded();
    let rules = || -> Vec<Box<dyn Rule>> { vec![Box::new(ReplaceDu)] };
    let text = "成都和首都\n";
    let out = Engine::with_rules(lex, rules(), opts(&[], &[])).process_str(text);
    assert_eq!(out.text, "成部和首部\n");
    let out = Engine::with_rules(lex, rules(), opts(&["成都"], &[])).process_str(text);
    assert_eq!(out.text, "成都和首部\n");
    assert_eq!(out.findings.len(), 1);
    // Also against a user correction running next to the rule.
    let out =
        Engine::with_rules(lex, rules(), opts(&["成都"], &[("首都", "京城")])).process_str(text);
    assert_eq!(out.text, "成都和京城\n");
}

//! S501 `broken-paragraph`: a paragraph that stops mid-sentence and goes on
//! after a line break (usually a blank line) is joined to the next one by
//! deleting this block's separator.
//!
//! Joining needs positive evidence, not just a missing full stop: an
//! opening quote or bracket closed in the next paragraph, a lexicon word
//! across the break, a next paragraph that cannot start a sentence, a
//! number cut from its classifier, or a clean word-to-word break between
//! two prose paragraphs. Headings, captions, bylines, list items and lines
//! ending with a colon are never joined.

use super::han::{char_len, is_han, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::Lexicon;
use crate::span::Span;

/// S501 `broken-paragraph`.
pub static S501: RuleMeta = RuleMeta {
    code: "S501",
    name: "broken-paragraph",
    summary: "a paragraph cut mid-sentence is joined to its continuation",
    default_tier: Applicability::Review,
    doc: include_str!("docs/S501.md"),
};

/// Rule S501.
pub struct BrokenParagraph;

/// Marks that start photo captions and bulleted headings.
const CAPTION_MARKS: &[char] = &[
    '▲', '△', '◆', '◇', '■', '□', '●', '○', '★', '☆', '•', '·', '▶', '►',
];

/// Punctuation that ends a sentence or a clause inside prose.
const PROSE_PUNCT: &[char] = &['，', '。', '；', '！', '？', '、', ',', ';'];

/// Ends that close a paragraph (or a clause that must not be glued on).
const FINAL_PUNCT: &[char] = &[
    '。', '！', '？', '…', '.', '!', '?', '；', ';', '：', ':', '，', ',', '、', '—',
];

/// Closing quotes and brackets.
const CLOSERS: &[char] = &['”', '’', '）', ')', '》', '」', '』', '】', '〕'];

/// Chars a sentence cannot start with: they continue the previous words.
const CONTINUATION: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '”', '’', '）', '》', '」', '』', '】', '的', '了',
    '地', '得', '着', '过', '们', '吗', '呢', '吧', '和', '及',
];

/// Classifiers and units that follow a number.
const CLASSIFIERS: &str = "个名家项次年月日号万亿元角分米岁人户条件位种所座台辆倍批场篇期届余多";

/// Words that mark a byline or credits line.
const BYLINE_MARKERS: &[&str] = &[
    "记者",
    "通讯员",
    "本报讯",
    "责编",
    "校对",
    "摄影",
    "策划",
    "美编",
    "编辑",
    "撰稿",
];

/// Pairs of opening and closing marks checked for balance.
const PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('‘', '’'),
    ('（', '）'),
    ('《', '》'),
    ('「', '」'),
    ('【', '】'),
];

/// True for a photo caption or bulleted line (`▲…`, `图为…`): text that
/// layout places between the parts of a cut paragraph.
pub fn is_caption(line: &str) -> bool {
    line.trim_start().starts_with(CAPTION_MARKS) || line.trim_start().starts_with("图为")
}

fn is_heading(line: &str) -> bool {
    // A short line without clause punctuation, whose quotes and brackets
    // pair up (a line that leaves `《“` open was cut, not titled), and that
    // does not end with a colon (`请尝试以下步骤：` leads into what follows).
    !line.contains(PROSE_PUNCT)
        && !line.ends_with(['：', ':'])
        && char_len(line) <= 40
        && PAIRS
            .iter()
            .all(|&(o, c)| balance(line, o, c) == (0, false))
}

fn is_byline(line: &str) -> bool {
    char_len(line) <= 40 && BYLINE_MARKERS.iter().any(|m| line.contains(m))
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut cs = t.chars();
    let first = cs.next();
    let second = cs.next();
    match first {
        Some('（' | '(') => true,
        Some('①'..='⑳' | '-' | '*') => true,
        Some(c) if c.is_ascii_digit() => {
            let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
            let after = t[digits.len()..].chars().next();
            matches!(after, Some('.' | '、' | '．' | ')' | '）'))
        }
        Some('一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十') => {
            second == Some('、')
        }
        _ => false,
    }
}

fn is_prose(line: &str, min_chars: usize) -> bool {
    char_len(line) >= min_chars && line.contains(PROSE_PUNCT)
}

/// (opens − closes) of a pair in `s`, and whether a close comes before any
/// open (an unmatched closer).
fn balance(s: &str, open: char, close: char) -> (i64, bool) {
    let mut depth = 0i64;
    let mut stray_close = false;
    for c in s.chars() {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                stray_close = true;
            } else {
                depth -= 1;
            }
        }
    }
    (depth, stray_close)
}

/// The evidence for joining `b` and `n`, if any: (reason, score).
fn evidence(lex: &Lexicon, b: &str, n: &str) -> Option<(String, f64)> {
    let last = b.chars().next_back()?;
    let first = n.chars().next()?;
    // An opening mark left open in b and closed in n.
    for &(o, c) in PAIRS {
        let (open_b, _) = balance(b, o, c);
        let (_, stray_n) = balance(n, o, c);
        if open_b > 0 && stray_n {
            return Some((
                format!("`{o}` opened here is closed in the next paragraph"),
                0.9,
            ));
        }
    }
    if CLOSERS.contains(&last) && !CONTINUATION.contains(&first) {
        return None;
    }
    if cannot_start(lex, n) {
        return Some((
            format!("the next paragraph starts with `{first}`, which cannot start a sentence"),
            0.85,
        ));
    }
    if last.is_ascii_digit() && CLASSIFIERS.contains(first) {
        return Some((
            format!("a number is cut from its classifier `{first}`"),
            0.85,
        ));
    }
    if is_prose(b, 15) && is_short_tail(n) {
        return Some((
            format!("the next paragraph `{n}` is the short end of a sentence, not one of its own"),
            0.8,
        ));
    }
    if let Some(w) = word_across(lex, b, n) {
        return Some((format!("`{w}` is a word across the break"), 0.85));
    }
    // An opening mark left open near the end of b (not a multi-paragraph
    // quotation, which opens at the paragraph start).
    for &(o, c) in PAIRS {
        let (open_b, _) = balance(b, o, c);
        if open_b > 0 && !b.trim_start().starts_with(o) {
            let tail: String = b.chars().rev().take(12).collect();
            if tail.contains(o) {
                return Some((
                    format!("`{o}` is opened just before the break and never closed"),
                    0.75,
                ));
            }
        }
    }
    if clean_break(lex, b, n) {
        return Some((
            "both paragraphs are prose and the break falls between two words".into(),
            0.7,
        ));
    }
    None
}

/// Longest paragraph (in chars, its final mark included) read as the
/// short end of a cut sentence by [`is_short_tail`].
const SHORT_TAIL: usize = 6;

/// True for a paragraph of a few Han chars closed by a sentence-final mark
/// and holding no other mark (`一样。`, `可见。`): the end of a
/// sentence, which does not stand as a paragraph of its own after one left
/// open.
fn is_short_tail(n: &str) -> bool {
    let mut cs = n.chars();
    let Some(end) = cs.next_back() else {
        return false;
    };
    let body: Vec<char> = cs.collect();
    matches!(end, '。' | '！' | '？')
        && !body.is_empty()
        && body.len() < SHORT_TAIL
        && body.iter().all(|&c| is_han(c))
        && !is_list_item(n)
}

/// True when `n` starts with a char that continues the words before it
/// (`的`, `了`, `和`, …) and not with a lexicon word holding it (`的确`).
fn cannot_start(lex: &Lexicon, n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| CONTINUATION.contains(&c) && !starts_with_word(lex, n))
        || starts_with_localizer(n)
        || starts_with_bound_word(n)
}

/// Localizers and time words that follow the words they belong to
/// (`登录` | `时，…`, `窗口之` | `下`): as the whole first clause of a
/// paragraph (the char alone, before a mark or the end) they continue the
/// paragraph before.
const LOCALIZERS: &str = "时后前中上下里内外间";

/// True when `n` starts with a lone localizer ([`LOCALIZERS`]) followed by
/// a mark or nothing.
fn starts_with_localizer(n: &str) -> bool {
    let mut cs = n.chars();
    cs.next().is_some_and(|c| LOCALIZERS.contains(c)) && !cs.next().is_some_and(is_han)
}

/// Words that need a subject or a clause before them and do not start a
/// paragraph: the copula and future auxiliaries (`原因` | `是信号太弱`,
/// `模板` | `将会出现`) and the conjunction `并且`.
const BOUND_STARTS: &[&str] = &["是", "将会", "将要", "并且"];

/// True when the word model's best reading of the first chars of `n`
/// starts with a word of [`BOUND_STARTS`] followed by a Han char other than
/// `的` and `否` or by a Latin letter or digit (`是的，`, `是否…`, `是，`
/// start sentences).
fn starts_with_bound_word(n: &str) -> bool {
    let head: String = n.chars().take_while(|&c| is_han(c)).take(6).collect();
    if !BOUND_STARTS.iter().any(|w| head.starts_with(w)) {
        return false;
    }
    let lm = crate::correct::lm::WordLm::embedded();
    if lm.is_empty() {
        return false;
    }
    let (_, path) = lm.best_path(&head, None);
    // (`是的，`, `是否…` start sentences)
    path.first().is_some_and(|t| {
        BOUND_STARTS.contains(&&head[t.start..t.end])
            && n[t.end..]
                .chars()
                .next()
                .is_some_and(|c| (is_han(c) || c.is_ascii_alphanumeric()) && !"的否".contains(c))
    })
}

/// True if `n` starts with a lexicon word of two or more chars (`了解`,
/// `的确`, `过去` start sentences; a lone `了` or `的` does not).
fn starts_with_word(lex: &Lexicon, n: &str) -> bool {
    let head: String = n.chars().take_while(|&c| is_han(c)).take(6).collect();
    lex.segment(&head)
        .first()
        .is_some_and(|t| t.entry.is_some() && char_len(&head[t.span.start..t.span.end]) >= 2)
}

/// The most frequent lexicon word of two or more chars that spans the
/// break (made of the end of `b` and the start of `n`).
fn word_across(lex: &Lexicon, b: &str, n: &str) -> Option<String> {
    let tail: String = {
        let t: Vec<char> = b.chars().rev().take_while(|&c| is_han(c)).take(4).collect();
        t.into_iter().rev().collect()
    };
    let head: String = n.chars().take_while(|&c| is_han(c)).take(4).collect();
    if tail.is_empty() || head.is_empty() {
        return None;
    }
    let joined = format!("{tail}{head}");
    let cut = tail.len();
    lex.words_in(&joined, 8)
        .into_iter()
        .filter(|(sp, _)| sp.start < cut && sp.end > cut)
        .max_by_key(|(_, e)| e.freq)
        .map(|(sp, _)| joined[sp.start..sp.end].to_string())
}

/// Two prose paragraphs, the first ending on a word of two or more chars,
/// the second starting with one.
fn clean_break(lex: &Lexicon, b: &str, n: &str) -> bool {
    if !is_prose(b, 20) || !is_prose(n, 15) {
        return false;
    }
    let tail: String = {
        let t: Vec<char> = b.chars().rev().take_while(|&c| is_han(c)).take(6).collect();
        t.into_iter().rev().collect()
    };
    let head: String = n.chars().take_while(|&c| is_han(c)).take(6).collect();
    if char_len(&tail) < 2 || char_len(&head) < 2 {
        return false;
    }
    let lt = lex.segment(&tail);
    let rt = lex.segment(&head);
    let multi = |s: &str, t: Option<&crate::lexicon::Token>| {
        t.is_some_and(|t| t.entry.is_some() && char_len(&s[t.span.start..t.span.end]) >= 2)
    };
    // The second may start with a short word (走深走实 → 走/深/走/实).
    multi(&tail, lt.last()) && rt.first().is_some_and(|t| t.entry.is_some())
}

/// Chars a heading or a complete sentence does not end with: they need
/// what follows (`的`, `和`, `在`, `对`, …).
const DANGLING: &str = "的和与及或在对把被从向将以于并而但由给跟比让使为之其每各该这那";

/// Adverbs that modify what follows and never end a heading or a
/// sentence when they stand as a word of their own (`信息都` | `以隐藏…`).
const DANGLING_ADVERBS: &str = "都也就才又再还很最更已曾均皆仍";

/// Words of two chars that open a clause and need what follows:
/// conjunctions and prepositions (`如果` | `您的…`, `对于…来说` | `是…`).
const DANGLING_WORDS: &[&str] = &[
    "如果", "假如", "要是", "即使", "虽然", "尽管", "因为", "由于", "为了", "对于", "关于", "根据",
    "按照", "通过", "除了", "只有", "只要", "无论", "不论", "确保", "以便", "而且", "并且", "或者",
    "以及", "来说", "然后", "并将", "但是",
];

/// Determiners and modals that need what follows (`禁用帐号里的各个` |
/// `服务`, `您可能` | `不希望…`): the end of a paragraph only as the whole
/// paragraph or after a listing conjunction (`及其他`).
const DANGLING_HEADS: &[&str] = &[
    "这些", "那些", "这个", "那个", "各个", "各种", "其他", "其它", "一些", "某些", "某个", "某种",
    "所有", "每个", "一种", "任何", "可能", "能够", "应该", "应当", "必须",
];

/// Prepositions before a pronoun (`在您`, `为您`, `向他们`).
const PREPOSITIONS: &str = "在对把被从向将以于给跟比让使为";

/// Pronouns that end a prepositional phrase (`在您` | `挪动计算机时`).
const PRONOUNS: &str = "您你我他她它";

/// Prepositions that need what follows when they stand as a word of their
/// own at the end (`拖动内容，像` | `移动一张纸`; not `图像`).
const DANGLING_PREPS: &str = "像往朝沿按";

/// True when `b` ends on a word that needs a continuation: a two-char
/// conjunction, preposition or modal of [`DANGLING_WORDS`], or an adverb of
/// [`DANGLING_ADVERBS`] standing as a word in the model's best reading of
/// the last chars.
fn ends_needing_more(b: &str) -> bool {
    let tail: Vec<char> = {
        let mut t: Vec<char> = b.chars().rev().take_while(|&c| is_han(c)).take(6).collect();
        t.reverse();
        t
    };
    let Some(&last) = tail.last() else {
        return false;
    };
    let text: String = tail.iter().collect();
    if DANGLING_WORDS.iter().any(|w| text.ends_with(w)) {
        return true;
    }
    let whole: Vec<char> = b.chars().collect();
    if DANGLING_HEADS.iter().any(|w| {
        let k = w.chars().count();
        text.ends_with(w) && whole.len() > k && !"及和与等或、".contains(whole[whole.len() - k - 1])
    }) {
        return true;
    }
    let lm = crate::correct::lm::WordLm::embedded();
    let (_, path) = lm.best_path(&text, None);
    // a preposition and its pronoun (`在您`, `对它们`; not `其他`)
    // (one word of the model, `为您`, or two, `在` `您`)
    let words: Vec<&str> = path.iter().map(|t| &text[t.start..t.end]).collect();
    let n = words.len();
    let ends: [String; 2] = [
        words.last().map(|w| w.to_string()).unwrap_or_default(),
        if n >= 2 {
            words[n - 2..].concat()
        } else {
            String::new()
        },
    ];
    let prep_pronoun = |e: &str| {
        let mut cs = e.trim_end_matches('们').chars();
        matches!((cs.next(), cs.next(), cs.next()),
            (Some(p), Some(w), None) if PREPOSITIONS.contains(p) && PRONOUNS.contains(w))
    };
    if ends.iter().any(|e| prep_pronoun(e)) {
        return true;
    }
    if !DANGLING_ADVERBS.contains(last) && !DANGLING_PREPS.contains(last) {
        return false;
    }
    path.last()
        .is_some_and(|t| text[t.start..t.end].chars().count() == 1)
}

/// Conjunctions that open a subordinate clause (`如果您有外部`): a line that
/// starts with one and holds no clause mark has not reached its main clause,
/// so it is neither a heading nor a complete sentence.
const CLAUSE_OPENERS: &[&str] = &[
    "如果", "假如", "要是", "倘若", "如若", "即使", "虽然", "只要", "一旦", "除非", "既然",
];

/// True when `b` starts with a conjunction of [`CLAUSE_OPENERS`], goes on
/// with more Han text, and holds no clause mark (`如果您有外部` | `无线适配器…`;
/// not `如果窗口被其他窗口遮盖，则提升它`, whose main clause follows the comma).
fn opens_clause(b: &str) -> bool {
    let b = b.trim();
    if b.contains(PROSE_PUNCT) || b.ends_with(FINAL_PUNCT) {
        return false;
    }
    CLAUSE_OPENERS.iter().any(|w| {
        b.strip_prefix(w)
            .is_some_and(|rest| rest.chars().next().is_some_and(is_han))
    })
}

/// log10 gain the word model must find in reading the two sides as one
/// sentence rather than as a sentence end and a new sentence, for a join on
/// the model's evidence alone ([`by_model`]).
const MODEL_GAIN: f64 = 2.5;

/// Two short lines in a row (`此致` | `敬礼！`, a title and a dateline):
/// layout, not a sentence cut in two.
fn short_pair(b: &str, n: &str) -> bool {
    char_len(b) <= SHORT_LINE && char_len(n) <= SHORT_LINE
}

/// Chars of a short line for [`short_pair`].
const SHORT_LINE: usize = 8;

/// The last (up to) six Han chars of `b` and the first (up to) six Han
/// chars or digits of `n`.
fn sides(b: &str, n: &str) -> (Vec<char>, Vec<char>) {
    let mut tail: Vec<char> = b.chars().rev().take_while(|&c| is_han(c)).take(6).collect();
    tail.reverse();
    let head: Vec<char> = n
        .chars()
        .take_while(|&c| is_han(c) || c.is_ascii_digit())
        .take(6)
        .collect();
    (tail, head)
}

/// True when the word model's best reading of the two sides read as one
/// holds a word across the cut (`要定|期备份` → 定期). A lexicon word
/// formed by chance (`科技节|本报讯` → 节本) is not in that reading.
fn model_crosses(b: &str, n: &str) -> bool {
    let (tail, head) = sides(b, n);
    if tail.is_empty() || head.is_empty() {
        return false;
    }
    let lm = crate::correct::lm::WordLm::embedded();
    let joined: String = tail.iter().chain(&head).collect();
    let cut: usize = tail.iter().map(|c| c.len_utf8()).sum();
    let (_, path) = lm.best_path(&joined, None);
    path.iter().any(|t| t.known && t.start < cut && t.end > cut)
}

/// The word model's log10 gain in reading the last chars of `b` and the
/// first chars of `n` as one sentence (`如果您的鼠标和接收器`) rather than as
/// a sentence end and a new one (`如果您的鼠标。和接收器`). None when either
/// side does not end or start with Han chars (or digits, for `n`).
fn continuation_gain(b: &str, n: &str) -> Option<f64> {
    let (tail, head) = sides(b, n);
    if tail.is_empty() || head.is_empty() {
        return None;
    }
    let lm = crate::correct::lm::WordLm::embedded();
    if lm.is_empty() {
        return None;
    }
    let joined: Vec<char> = tail.iter().chain(&head).copied().collect();
    let apart: Vec<char> = tail
        .iter()
        .chain(std::iter::once(&'。'))
        .chain(&head)
        .copied()
        .collect();
    Some(lm.path_score(&joined) - lm.path_score(&apart))
}

/// Added to the word model's bar for a join on the char model's gain.
const CHAR_EXTRA: f64 = 0.5;

/// Added to the char model's bar for two short lines in a row
/// ([`short_pair`]), which the word model never joins.
const SHORT_PAIR_EXTRA: f64 = 3.0;

/// The word model's and the layout's case for joining `b` and `n` when
/// the lexicon's evidence has none (or the shape of a line vetoed it):
/// [`continuation_gain`] against a bar that grows with how much `b` looks
/// like the document's headings and drops when `b` ends on a char that
/// needs a continuation.
fn by_model(block: &Block<'_>, b: &str, n: &str) -> Option<(String, f64)> {
    // the continuation must read as the rest of a sentence: a heading (a
    // short line without marks) or caption after a cut is text lost in
    // between, and never joined
    let last = b.chars().next_back()?;
    // (unless `b` ends on a char that needs a continuation and the model
    // reads a word across the cut: `提升至其` | `它窗口之上`)
    if is_caption(n) || is_heading(n) && !(DANGLING.contains(last) && model_crosses(b, n)) {
        return None;
    }
    // two short lines in a row are layout unless the char model finds the
    // pair far likelier as one line (`选择列表中的所` | `有文本或项。`)
    let short = is_heading(b) && short_pair(b, n);
    let gain = continuation_gain(b, n).unwrap_or(f64::NEG_INFINITY);
    let chars = crate::correct::char_lm::CharLm::embedded().join_gain(b, n);
    // layout: a line that ends on a char needing a continuation is not a
    // heading; a line shaped like the document's own headings needs more
    let opens = opens_clause(b);
    let dangling = DANGLING.contains(last) || ends_needing_more(b) || opens;
    let mut need = MODEL_GAIN;
    if is_heading(b) && !dangling {
        need += heading_penalty(block, b);
    }
    if is_list_item(n) {
        need += 1.0;
    }
    if dangling {
        need -= 1.0;
    }
    // a continuation whose first sentence is one word (`蓝牙` | `适配器。如果…`)
    // is the end of a sentence: the char model need only prefer the join
    // (the word model, which reads no sentence end, finds most joins of two
    // words about as likely)
    let word_clause = !short && lone_word_clause(n) && chars >= WORD_CLAUSE_NEED;
    let char_need = need + CHAR_EXTRA + if short { SHORT_PAIR_EXTRA } else { 0.0 };
    let (model, gain) = if word_clause {
        ("char", chars)
    } else if gain >= need && !short {
        ("word", gain)
    } else if short && dangling && gain >= need + SHORT_PAIR_EXTRA && model_crosses(b, n) {
        // two short lines, the first ending on a char that needs what follows
        // and the word model reading a word across the cut (`将窗口提升至其` |
        // `它窗口之上`): the word model's gain, at the short pair's extra bar
        ("word", gain)
    } else if chars >= char_need {
        ("char", chars)
    } else {
        return None;
    };
    Some((
        format!(
            "the {model} model reads the break as inside a sentence ({gain:.1} log10 better than a paragraph end and a new start){}",
            if opens {
                "; it opens a clause (`如果…`) that it never closes".to_string()
            } else if dangling {
                format!("; `{last}` needs a continuation")
            } else if word_clause {
                "; the next paragraph's first clause is a single word".to_string()
            } else {
                String::new()
            }
        ),
        0.7,
    ))
}

/// The char model's bar for a join when the next paragraph's first clause
/// is a single word ([`lone_word_clause`]).
const WORD_CLAUSE_NEED: f64 = 0.5;

/// True when the first sentence of `n` (up to its first `。；！？`) is a
/// single word of two to four Han chars in the word model's best reading,
/// followed by more text (`适配器。如果您…`, `模块。您可以…`): a sentence
/// that is only a noun or verb is the end of a sentence cut before it. (A
/// first clause closed by a comma is not: `例如，`, `近年来，` open
/// sentences.)
fn lone_word_clause(n: &str) -> bool {
    let Some(k) = n.find(['。', '；', '！', '？']) else {
        return false;
    };
    let clause = &n[..k];
    let rest = &n[k..];
    let len = char_len(clause);
    if !(2..=4).contains(&len) || !clause.chars().all(is_han) || char_len(rest) < 4 {
        return false;
    }
    let lm = crate::correct::lm::WordLm::embedded();
    let (_, path) = lm.best_path(clause, None);
    path.len() == 1 && path[0].known
}

/// How much a heading-shaped `b` (a short line without clause marks) must
/// be outweighed: more when the document already has headings of its
/// length (short lines without marks followed by prose) or `b` is its first
/// paragraph (a title), less when it has none.
fn heading_penalty(block: &Block<'_>, b: &str) -> f64 {
    let len = char_len(b);
    let prev = block.prev;
    let headings = prev
        .windows(2)
        .filter(|w| {
            let (h, after) = (w[0].body.trim(), w[1].body.trim());
            !h.is_empty()
                && is_heading(h)
                && !h.ends_with(FINAL_PUNCT)
                && is_prose(after, 10)
                && char_len(h).abs_diff(len) <= 6
        })
        .count();
    // the first paragraph of a document is its title when shaped like one
    let first = block.prev.iter().all(|p| p.body.trim().is_empty());
    if headings > 0 || first {
        3.0
    } else if len <= 4 {
        1.0
    } else {
        0.5
    }
}

impl Rule for BrokenParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &S501
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // a piece of a cut line is not a whole paragraph
        if block.is_piece() {
            return;
        }
        let b = block.body().trim_end();
        let Some(n) = block.next.map(str::trim) else {
            return;
        };
        if b.is_empty() || n.is_empty() || block.separator().is_empty() {
            return;
        }
        if [b, n].iter().any(|l| is_caption(l) || is_byline(l)) {
            return;
        }
        // a Markdown list item (`- `, `1. `) is a whole item: the one after
        // a blank line is the next item, the one before it ends its item
        if super::protect::markdown_list_item(n) || super::protect::markdown_list_item(b) {
            return;
        }
        let last = b.chars().next_back().unwrap_or('。');
        if FINAL_PUNCT.contains(&last) {
            return;
        }
        let shaped = [b, n].iter().any(|l| is_list_item(l) || is_heading(l));
        let found = if shaped {
            // a heading-shaped first part (`如果要定`) is joined on the
            // lexicon's evidence only when the word model agrees, or when
            // the next paragraph cannot start a sentence (`文件` | `的MIME类型…`)
            // (two short lines in a row are layout, unless the second
            // cannot start a sentence: `显示文件最后修改` | `的日期和时间。`)
            let bound = cannot_start(ctx.lexicon, n);
            evidence(ctx.lexicon, b, n)
                .filter(|_| !is_heading(n) && !is_caption(n) && (bound || !short_pair(b, n)))
                .filter(|_| model_crosses(b, n) || bound)
        } else {
            evidence(ctx.lexicon, b, n)
        };
        let Some((reason, score)) = found.or_else(|| by_model(block, b, n)) else {
            return;
        };
        let span = Span::new(block.body_len, block.text.len());
        let first = n.chars().next().unwrap_or(' ');
        let glue = if last.is_ascii_alphanumeric() && first.is_ascii_alphanumeric() {
            " "
        } else {
            ""
        };
        out.push(
            Finding::new(
                "S501",
                span,
                "paragraph cut mid-sentence; joined with the next",
                Evidence::new(score.min(tier_score(Applicability::Review)), reason),
            )
            .with_fix(Fix::single(
                Applicability::Review,
                Edit::replace(span, glue),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::WordFlags;
    use crate::rules::han::testutil::{apply, findings_with, lex};

    fn lexicon() -> Lexicon {
        let n = WordFlags::default();
        lex(&[
            ("全县", 893, n),
            ("全", 5000, n),
            ("县", 5000, n),
            ("有人", 3000, n),
            ("有", 90000, n),
            ("人", 90000, n),
            ("帮", 2000, n),
            ("城西", 408, n),
            ("社区", 6000, n),
            ("反映", 3000, n),
            ("工作", 9000, n),
            ("走", 9000, n),
            ("村干部", 184, n),
            ("分管", 320, n),
            ("了解", 3000, n),
            ("管道", 300, n),
        ])
    }

    fn join(b: &str, n: &str) -> Option<String> {
        let l = lexicon();
        let t = format!("{b}\n\n");
        let f = findings_with(&BrokenParagraph, &l, &t, &[], Some(n));
        (!f.is_empty()).then(|| apply(&t, &f, Applicability::Review) + n)
    }

    const B: &str = "城西社区火神庙后巷小区建于上世纪80年代。去年10月，小区居民向城西";

    #[test]
    fn joins_with_evidence() {
        assert_eq!(
            join(
                "推动规范化，确保阵地“门",
                "常开、灯常亮”，真正做到服务居民。"
            )
            .unwrap(),
            "推动规范化，确保阵地“门常开、灯常亮”，真正做到服务居民。"
        );
        assert_eq!(
            join(
                "通过四个步骤和工作法，全",
                "县14个软弱涣散党组织实现了蜕变。"
            )
            .unwrap(),
            "通过四个步骤和工作法，全县14个软弱涣散党组织实现了蜕变。"
        );
        assert!(join("确保大事有人管、难事有", "人帮、服务有代办。").is_some());
        assert!(join(B, "社区反映，巷道内的下水道常年失修，排水不畅。").is_some());
        assert!(join(B, "走深走实，筑牢干部廉洁自律防线的工作。").is_some());
        assert!(join(
            "签订了《“新”社",
            "服务联动共建协议，压实了责任，开展了服务。"
        )
        .is_some());
        assert!(join(
            "抓实“选、育、管”，用“4",
            "个环节，选优配强村带头人后备力量队伍。"
        )
        .is_some());
    }

    #[test]
    fn a_line_opening_a_clause_it_never_closes() {
        assert!(opens_clause("如果您的电脑没有内置"));
        assert!(opens_clause("一旦您开启了远程"));
        // the main clause follows the comma; a bare conjunction is a
        // dangling end, not an opened clause
        assert!(!opens_clause("如果窗口被其他窗口遮盖，则提升它"));
        assert!(!opens_clause("如果"));
        assert!(!opens_clause("如果您忘记了密码。"));
        // other starts
        assert!(!opens_clause("更改它所具有的控制或内部设置"));
        assert!(!opens_clause("如何查看剩余油墨"));
        // the models still decide: an opened clause lowers the bar only
        assert!(join("如果您的电脑没有内置", "摄像头，请购买一个外接摄像头。").is_some());
        assert!(join("如果您忘记了密码", "请联系系统管理员重置您的帐号。").is_none());
    }

    #[test]
    fn two_short_lines_joined_on_a_word_across_a_dangling_end() {
        assert_eq!(
            join("将图层移到其", "它图层之下").unwrap(),
            "将图层移到其它图层之下"
        );
        assert!(join("我和", "我的祖国").is_none());
        assert!(join("此致", "敬礼！").is_none());
    }

    #[test]
    fn never_joins_headings_captions_or_fragments() {
        // Next is a heading.
        assert!(join("现在大家一起干，这得益于", "高效协同").is_none());
        // Caption.
        assert!(join(
            "创建工作中，河津市还及时总结、发现和推广特色亮点",
            "▲河津市深入挖掘丰富独特的文化旅游资源。"
        )
        .is_none());
        // Ends with a colon or a full stop.
        assert!(join("具体做法如下：", "一是加强领导，二是落实责任。").is_none());
        assert!(join("这是完整的句子，没有问题。", "的确如此，大家都这么说。").is_none());
        // A continuation char that starts a word is not the lexicon's
        // evidence of a continuation (the word model may still join a
        // paragraph ending on `和`).
        assert!(evidence(
            &lexicon(),
            "去年10月，小区居民反映了问题，希望能疏通管道和",
            "了解情况后，社区工作人员及时联系。"
        )
        .is_none());
        assert!(join(
            "去年10月，小区居民反映了问题，希望能疏通管道",
            "了，社区工作人员及时联系。"
        )
        .is_some());
        // Truncated fragment glued to unrelated text: no word across, the
        // first piece ends on a dangling char.
        assert!(join(
            "仲夏的东张联村麦田里,半人高的麦苗郁郁葱葱。驻村工",
            "红,年增收20余万元;东张联村党支部牵头流转土地。"
        )
        .is_none());
        // Byline.
        assert!(join("本报记者 邢智轩", "曹欣怡").is_none());
    }
}

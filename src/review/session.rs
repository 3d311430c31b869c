//! The interactive review as a state machine: a queue of reviewable
//! findings ([`Item`]s), keys in ([`Key`]), replies out ([`Reply`]). No I/O:
//! the command line shows the current item, reads a key, hands it to
//! [`Session::handle`] and records the decisions it gets back to the
//! [`DecisionLog`](super::DecisionLog) before asking for the next key.
//!
//! A finding is reviewable when it was not applied and has something to
//! accept: a fix, or ranked candidates (accepting a finding without a fix
//! picks its first candidate). Findings already decided in the log are not
//! asked again, so a review resumes where it stopped.

use super::{finding_id, Decision, Verdict};
use crate::edit::Edit;
use crate::finding::Finding;
use crate::span::Span;
use std::collections::HashMap;

/// Chars of context shown on each side of a change, at most (the context
/// also stops at sentence ends and line ends).
pub const CONTEXT_CHARS: usize = 30;

/// What each key does, for `?`.
pub const HELP: &str = "\
y  accept the proposed change
n  reject it (leave the text)
s  skip (decide later; asked again next time)
1-9  use candidate N instead
e  edit by hand (`e TEXT`, or `e` and then the text)
a  leave the text and add it to the allow-list (a space or an insertion:
   the term around it, such as a spaced name)
i  show the rule's figures behind the evidence
A  accept every undecided finding with this same change
R  reject every undecided finding with this same change
u  undo the last decision of this session
q  quit (decisions so far are saved)
?  this help";

/// One key command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// `y`: accept.
    Accept,
    /// `n`: reject.
    Reject,
    /// `s`: skip.
    Skip,
    /// `1`–`9`: pick candidate N (1-based).
    Pick(usize),
    /// `e` (ask for the text) or `e TEXT`.
    Edit(Option<String>),
    /// `a`: allow-list the original (or the term around it).
    Allow,
    /// `i`: show the evidence's figures.
    Info,
    /// `A`: accept all identical changes.
    AcceptAll,
    /// `R`: reject all identical changes.
    RejectAll,
    /// `u`: undo.
    Undo,
    /// `q`: quit.
    Quit,
    /// `?`: help.
    Help,
}

/// Parse one line of input into a key (trailing line ending ignored).
pub fn parse_key(line: &str) -> Result<Key, String> {
    let line = line.trim_end_matches(['\n', '\r']);
    if let Some(text) = line.strip_prefix("e ") {
        if !text.is_empty() {
            return Ok(Key::Edit(Some(text.to_string())));
        }
    }
    let k = line.trim();
    Ok(match k {
        "y" => Key::Accept,
        "n" => Key::Reject,
        "s" => Key::Skip,
        "e" => Key::Edit(None),
        "a" => Key::Allow,
        "i" => Key::Info,
        "A" => Key::AcceptAll,
        "R" => Key::RejectAll,
        "u" => Key::Undo,
        "q" => Key::Quit,
        "?" | "h" => Key::Help,
        _ => match k.parse::<usize>() {
            Ok(n @ 1..=9) => Key::Pick(n),
            _ if k.is_empty() => return Err("type a key (? for help)".into()),
            _ => return Err(format!("unknown key `{k}` (? for help)")),
        },
    })
}

/// A piece of the shown change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text the change keeps.
    Same(String),
    /// Text replaced (`old` may be empty for an insertion, `new` for a
    /// deletion).
    Changed {
        /// The original text.
        old: String,
        /// What it becomes.
        new: String,
    },
}

/// What to show for an item: the change in its sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// 1-based line of the finding.
    pub line: usize,
    /// 1-based column (chars) of the finding.
    pub column: usize,
    /// Context before the change.
    pub before: String,
    /// The change: kept and changed pieces, in order.
    pub pieces: Vec<Piece>,
    /// Context after the change.
    pub after: String,
    /// The line goes on before `before`.
    pub cut_before: bool,
    /// The line goes on after `after`.
    pub cut_after: bool,
}

/// One reviewable finding.
#[derive(Debug, Clone)]
pub struct Item {
    /// Document path, as given (part of the id).
    pub path: String,
    /// [`finding_id`] of the finding.
    pub id: String,
    /// The finding (original-document offsets).
    pub finding: Finding,
    /// The text the proposed change puts in place of the changed region
    /// (fix, or else first candidate).
    pub proposal: String,
    /// What to show.
    pub view: View,
    /// What `a` puts on the allow-list: the original text, or, for a
    /// change of whitespace or an insertion, the term around it as written
    /// (`孙 雄` for the space in a spaced name). `None`: nothing fit.
    pub allow_term: Option<String>,
}

/// Can the finding be reviewed: not applied, and a fix or candidates?
pub fn is_reviewable(f: &Finding) -> bool {
    !f.applied && (f.fix.is_some() || !f.evidence.candidates.is_empty())
}

const SENTENCE_END: [char; 6] = ['。', '！', '？', '!', '?', '；'];

impl Item {
    /// Build the item for finding `f` of the document `text` at `path`.
    /// `None` if the finding is not [`is_reviewable`] or its spans do not
    /// fit `text`.
    pub fn new(path: &str, text: &str, f: Finding) -> Option<Item> {
        if !is_reviewable(&f) {
            return None;
        }
        let edits: Vec<Edit> = match &f.fix {
            Some(fix) => fix.edits.clone(),
            None => vec![Edit::replace(f.span, &f.evidence.candidates[0].text)],
        };
        let mut cover = f.span;
        for e in &edits {
            cover = Span::new(cover.start.min(e.span.start), cover.end.max(e.span.end));
        }
        text.get(cover.start..cover.end)?;
        let mut pieces = Vec::new();
        let mut proposal = String::new();
        let mut at = cover.start;
        for e in &edits {
            if e.span.start < at {
                return None;
            }
            let same = text.get(at..e.span.start)?;
            let old = text.get(e.span.start..e.span.end)?;
            if !same.is_empty() {
                pieces.push(Piece::Same(same.to_string()));
            }
            pieces.push(Piece::Changed {
                old: old.to_string(),
                new: e.replacement.clone(),
            });
            proposal.push_str(same);
            proposal.push_str(&e.replacement);
            at = e.span.end;
        }
        let rest = text.get(at..cover.end)?;
        if !rest.is_empty() {
            pieces.push(Piece::Same(rest.to_string()));
            proposal.push_str(rest);
        }

        // Context: back to the sentence or line start, forward to the
        // sentence or line end, at most CONTEXT_CHARS each way.
        let line_start = text[..cover.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[cover.end..]
            .find('\n')
            .map_or(text.len(), |i| cover.end + i);
        let head: Vec<char> = text[line_start..cover.start].chars().collect();
        let mut from = head.len().saturating_sub(CONTEXT_CHARS);
        if let Some(i) = head[from..].iter().rposition(|c| SENTENCE_END.contains(c)) {
            if from + i + 1 < head.len() {
                from += i + 1;
            }
        }
        let tail: Vec<char> = text[cover.end..line_end]
            .trim_end_matches('\r')
            .chars()
            .collect();
        let mut to = tail.len().min(CONTEXT_CHARS);
        if let Some(i) = tail[..to].iter().position(|c| SENTENCE_END.contains(c)) {
            to = i + 1;
        }
        let (line, column) = f.location.map_or((0, 0), |l| (l.line, l.column));
        let view = View {
            line,
            column,
            before: head[from..].iter().collect(),
            pieces,
            after: tail[..to].iter().collect(),
            cut_before: from > 0,
            cut_after: to < tail.len(),
        };
        let allow_term = allow_term(text, cover);
        Some(Item {
            path: path.to_string(),
            id: finding_id(path, &f),
            finding: f,
            proposal,
            view,
            allow_term,
        })
    }

    /// What accepting means: the fix, or the first candidate.
    fn accept_verdict(&self) -> Verdict {
        if self.finding.fix.is_some() {
            Verdict::Accept
        } else {
            Verdict::Pick(0)
        }
    }

    /// Identical changes share rule, original text and proposal.
    fn same_change(&self, other: &Item) -> bool {
        self.finding.rule == other.finding.rule
            && self.finding.original == other.finding.original
            && self.proposal == other.proposal
    }
}

/// Chars taken on each side of a space or an insertion for the term `a`
/// allow-lists.
const TERM_SIDE_CHARS: usize = 2;

/// The allow-list term for a change of `cover` in `text`: the original
/// text, trimmed; if that is empty (a space, an insertion), the letters
/// and Han chars right around it (up to [`TERM_SIDE_CHARS`] each side, on
/// one line) with the original between them, so the term matches the text
/// as it stands. `None` when no such term exists or it holds a line break
/// or a tab.
fn allow_term(text: &str, cover: Span) -> Option<String> {
    let original = text.get(cover.start..cover.end)?;
    let term = if original.trim().is_empty() {
        let is_word = |c: &char| c.is_alphanumeric();
        let left: String = {
            let mut v: Vec<char> = text[..cover.start]
                .chars()
                .rev()
                .take_while(is_word)
                .take(TERM_SIDE_CHARS)
                .collect();
            v.reverse();
            v.into_iter().collect()
        };
        let right: String = text[cover.end..]
            .chars()
            .take_while(is_word)
            .take(TERM_SIDE_CHARS)
            .collect();
        if left.is_empty() && right.is_empty() {
            return None;
        }
        format!("{left}{original}{right}")
    } else {
        original.trim().to_string()
    };
    (!term.is_empty() && !term.chars().any(char::is_control)).then_some(term)
}

/// What the caller does after a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Record these decisions (in order) to the log, then show the next
    /// item. `allow` is a term to add to the allow-list file.
    Record {
        /// Decisions to append (undo records included).
        decisions: Vec<Decision>,
        /// Allow-list term, for `a`.
        allow: Option<String>,
    },
    /// The item was skipped.
    Skipped,
    /// Ask for the replacement text, then send `Key::Edit(Some(text))`.
    AskText,
    /// Show [`HELP`], then ask again.
    Help,
    /// Show the evidence's figures, then ask again.
    Info,
    /// The key does not apply here; show the message and ask again.
    Invalid(String),
    /// Stop reviewing.
    Quit,
}

/// Counts of the decisions in force over a session's items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Accepted, picked or edited.
    pub changed: usize,
    /// Rejected.
    pub rejected: usize,
    /// Allow-listed.
    pub allowed: usize,
    /// Not decided.
    pub undecided: usize,
}

/// A review in progress.
#[derive(Debug)]
pub struct Session {
    items: Vec<Item>,
    verdicts: Vec<Option<Verdict>>,
    pos: usize,
    history: Vec<Vec<usize>>,
}

impl Session {
    /// A session over `items` (in the order to ask them); those with a
    /// decision in `decided` (a log's decisions in force) are not asked.
    pub fn new(items: Vec<Item>, decided: &HashMap<String, Decision>) -> Session {
        let verdicts = items
            .iter()
            .map(|it| decided.get(&it.id).map(|d| d.verdict.clone()))
            .collect();
        Session {
            items,
            verdicts,
            pos: 0,
            history: Vec::new(),
        }
    }

    /// All items, decided or not.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The item to ask about (its index in [`Session::items`]), or None
    /// when every item from the current position on is decided or skipped.
    pub fn current(&self) -> Option<(usize, &Item)> {
        (self.pos..self.items.len())
            .find(|&i| self.verdicts[i].is_none())
            .map(|i| (i, &self.items[i]))
    }

    /// The verdict in force for item `i`.
    pub fn verdict(&self, i: usize) -> Option<&Verdict> {
        self.verdicts.get(i).and_then(|v| v.as_ref())
    }

    /// Is there a decision of this session to undo?
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Counts of the verdicts in force.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for v in &self.verdicts {
            match v {
                None | Some(Verdict::Undo) => t.undecided += 1,
                Some(Verdict::Reject) => t.rejected += 1,
                Some(Verdict::Allow) => t.allowed += 1,
                Some(Verdict::Accept | Verdict::Pick(_) | Verdict::Edit(_)) => t.changed += 1,
            }
        }
        t
    }

    /// Handle one key for the current item.
    pub fn handle(&mut self, key: Key) -> Reply {
        if key == Key::Quit {
            return Reply::Quit;
        }
        if key == Key::Help {
            return Reply::Help;
        }
        if key == Key::Info {
            return Reply::Info;
        }
        if key == Key::Undo {
            return self.undo();
        }
        let Some((i, item)) = self.current() else {
            return Reply::Invalid("nothing left to review".into());
        };
        let f = &item.finding;
        match key {
            Key::Accept => {
                let v = item.accept_verdict();
                self.decide(vec![(i, v)], None)
            }
            Key::Reject => self.decide(vec![(i, Verdict::Reject)], None),
            Key::Skip => {
                self.pos = i + 1;
                Reply::Skipped
            }
            Key::Pick(n) => {
                let count = f.evidence.candidates.len();
                if n == 0 || n > count {
                    return Reply::Invalid(match count {
                        0 => "this finding has no candidates".into(),
                        1 => "there is only candidate 1".into(),
                        _ => format!("candidates are 1 to {count}"),
                    });
                }
                self.decide(vec![(i, Verdict::Pick(n - 1))], None)
            }
            Key::Edit(None) => Reply::AskText,
            Key::Edit(Some(text)) => self.decide(vec![(i, Verdict::Edit(text))], None),
            Key::Allow => {
                let Some(term) = item.allow_term.clone() else {
                    return Reply::Invalid(
                        "only text without line breaks or tabs can go on the allow-list".into(),
                    );
                };
                // The term is protected from now on: every undecided item
                // with the same term, or a space or insertion whose shown
                // context holds it, is allowed with it.
                let covered = |it: &Item| {
                    it.allow_term.as_deref() == Some(term.as_str())
                        || (it.finding.original.trim().is_empty()
                            && format!(
                                "{}{}{}",
                                it.view.before, it.finding.original, it.view.after
                            )
                            .contains(&term))
                };
                let group = (0..self.items.len())
                    .filter(|&j| self.verdicts[j].is_none() && covered(&self.items[j]))
                    .map(|j| (j, Verdict::Allow))
                    .collect();
                self.decide(group, Some(term))
            }
            Key::AcceptAll | Key::RejectAll => {
                let group = (0..self.items.len())
                    .filter(|&j| self.verdicts[j].is_none() && self.items[j].same_change(item))
                    .map(|j| {
                        let v = if key == Key::AcceptAll {
                            self.items[j].accept_verdict()
                        } else {
                            Verdict::Reject
                        };
                        (j, v)
                    })
                    .collect();
                self.decide(group, None)
            }
            Key::Undo | Key::Quit | Key::Help | Key::Info => unreachable!("handled above"),
        }
    }

    fn decide(&mut self, group: Vec<(usize, Verdict)>, allow: Option<String>) -> Reply {
        let mut decisions = Vec::with_capacity(group.len());
        let mut idx = Vec::with_capacity(group.len());
        for (j, v) in group {
            let it = &self.items[j];
            decisions.push(Decision::new(&it.path, &it.finding, v.clone()));
            self.verdicts[j] = Some(v);
            idx.push(j);
        }
        self.history.push(idx);
        Reply::Record { decisions, allow }
    }

    fn undo(&mut self) -> Reply {
        let Some(group) = self.history.pop() else {
            return Reply::Invalid("nothing to undo in this session".into());
        };
        let mut decisions = Vec::with_capacity(group.len());
        for &j in &group {
            let it = &self.items[j];
            decisions.push(Decision::new(&it.path, &it.finding, Verdict::Undo));
            self.verdicts[j] = None;
        }
        if let Some(&first) = group.iter().min() {
            self.pos = first;
        }
        Reply::Record {
            decisions,
            allow: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Applicability, Fix};
    use crate::finding::Evidence;
    use crate::span::Location;

    /// A review-tier finding replacing occurrence `nth` (0-based) of `old`
    /// in `text` with `new`.
    fn finding(text: &str, nth: usize, old: &str, new: &str) -> Finding {
        let start = text.match_indices(old).nth(nth).unwrap().0;
        let span = Span::new(start, start + old.len());
        let mut f = Finding::new("X001", span, "m", Evidence::new(0.5, "r"))
            .with_fix(Fix::single(Applicability::Review, Edit::replace(span, new)));
        f.original = old.into();
        f.location = Some(Location {
            byte_start: start,
            byte_end: span.end,
            char_start: text[..start].chars().count(),
            char_end: text[..span.end].chars().count(),
            line: 1 + text[..start].matches('\n').count(),
            column: 1 + text[..start]
                .rsplit('\n')
                .next()
                .unwrap_or("")
                .chars()
                .count(),
        });
        f
    }

    const TEXT: &str = "甲,乙。丙,丁。\n戊(己)庚,辛\n";

    fn items() -> Vec<Item> {
        let fs = vec![
            finding(TEXT, 0, ",", "，"),
            finding(TEXT, 1, ",", "，"),
            finding(TEXT, 0, "(己)", "（己）"),
            finding(TEXT, 2, ",", "，"),
        ];
        fs.into_iter()
            .map(|f| Item::new("p", TEXT, f).unwrap())
            .collect()
    }

    fn recorded(r: Reply) -> Vec<(String, Verdict)> {
        match r {
            Reply::Record { decisions, .. } => decisions
                .into_iter()
                .map(|d| (d.original, d.verdict))
                .collect(),
            other => panic!("expected decisions, got {other:?}"),
        }
    }

    #[test]
    fn keys_parse() {
        assert_eq!(parse_key("y\n"), Ok(Key::Accept));
        assert_eq!(parse_key(" n "), Ok(Key::Reject));
        assert_eq!(parse_key("3"), Ok(Key::Pick(3)));
        assert_eq!(
            parse_key("e 新 文本\r\n"),
            Ok(Key::Edit(Some("新 文本".into())))
        );
        assert_eq!(parse_key("e"), Ok(Key::Edit(None)));
        assert_eq!(parse_key("A"), Ok(Key::AcceptAll));
        assert!(parse_key("0").is_err());
        assert!(parse_key("10").is_err());
        assert!(parse_key("x").unwrap_err().contains("`x`"));
        assert!(parse_key("").is_err());
    }

    #[test]
    fn view_shows_the_change_in_its_sentence() {
        let it = &items()[1];
        assert_eq!(it.view.before, "丙");
        assert_eq!(it.view.after, "丁。");
        assert!(it.view.cut_before && !it.view.cut_after);
        assert_eq!((it.view.line, it.view.column), (1, 6));
        assert_eq!(it.proposal, "，");

        let it = &items()[2];
        assert_eq!(it.view.before, "戊");
        assert_eq!(it.view.after, "庚,辛");
        assert_eq!(it.view.line, 2);
        assert_eq!(
            it.view.pieces,
            vec![Piece::Changed {
                old: "(己)".into(),
                new: "（己）".into()
            }]
        );
    }

    #[test]
    fn multi_edit_fix_shows_kept_text_between_changes() {
        let text = "甲(乙)丙";
        let mut f = finding(text, 0, "(乙)", "");
        f.fix = Some(Fix::many(
            Applicability::Review,
            vec![
                Edit::replace(Span::new(3, 4), "（"),
                Edit::replace(Span::new(7, 8), "）"),
            ],
        ));
        let it = Item::new("p", text, f).unwrap();
        assert_eq!(it.proposal, "（乙）");
        assert_eq!(
            it.view.pieces,
            vec![
                Piece::Changed {
                    old: "(".into(),
                    new: "（".into()
                },
                Piece::Same("乙".into()),
                Piece::Changed {
                    old: ")".into(),
                    new: "）".into()
                },
            ]
        );
    }

    #[test]
    fn candidates_only_finding_accepts_its_first_candidate() {
        let text = "灯甲亮";
        let mut f = finding(text, 0, "甲", "");
        f.fix = None;
        assert!(Item::new("p", text, f.clone()).is_none());
        f.evidence = f.evidence.candidate("乙", 1.0).candidate("丙", 0.5);
        let it = Item::new("p", text, f).unwrap();
        assert_eq!(it.proposal, "乙");
        let mut s = Session::new(vec![it], &HashMap::new());
        assert!(matches!(s.handle(Key::Pick(3)), Reply::Invalid(_)));
        assert_eq!(
            recorded(s.handle(Key::Accept)),
            [("甲".into(), Verdict::Pick(0))]
        );
        assert!(s.current().is_none());
    }

    #[test]
    fn accept_reject_skip_walk_the_queue() {
        let mut s = Session::new(items(), &HashMap::new());
        assert_eq!(s.current().unwrap().0, 0);
        assert_eq!(
            recorded(s.handle(Key::Accept)),
            [(",".into(), Verdict::Accept)]
        );
        assert_eq!(s.handle(Key::Skip), Reply::Skipped);
        assert_eq!(s.current().unwrap().0, 2);
        assert_eq!(
            recorded(s.handle(Key::Reject)),
            [("(己)".into(), Verdict::Reject)]
        );
        assert_eq!(s.handle(Key::Edit(None)), Reply::AskText);
        assert_eq!(
            recorded(s.handle(Key::Edit(Some("、".into())))),
            [(",".into(), Verdict::Edit("、".into()))]
        );
        assert!(s.current().is_none());
        let t = s.tally();
        assert_eq!((t.changed, t.rejected, t.undecided), (2, 1, 1));
        assert!(matches!(s.handle(Key::Accept), Reply::Invalid(_)));
        assert_eq!(s.handle(Key::Quit), Reply::Quit);
    }

    #[test]
    fn resume_skips_decided_items() {
        let its = items();
        let mut log = HashMap::new();
        for it in &its[..2] {
            let d = Decision::new("p", &it.finding, Verdict::Reject);
            log.insert(d.id.clone(), d);
        }
        let s = Session::new(its, &log);
        assert_eq!(s.current().unwrap().0, 2);
        assert_eq!(s.tally().rejected, 2);
    }

    #[test]
    fn accept_all_takes_identical_changes_only_and_undo_reverts_the_group() {
        let mut s = Session::new(items(), &HashMap::new());
        assert_eq!(s.handle(Key::Skip), Reply::Skipped);
        // Item 1 is `,` → `，` like items 0 and 3; item 2 differs.
        let got = recorded(s.handle(Key::AcceptAll));
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(s.verdict(2).is_none());
        assert_eq!(s.current().unwrap().0, 2);
        let undone = recorded(s.handle(Key::Undo));
        assert_eq!(undone.len(), 3);
        assert!(undone.iter().all(|(_, v)| *v == Verdict::Undo));
        assert_eq!(s.current().unwrap().0, 0);
        assert!(matches!(s.handle(Key::Undo), Reply::Invalid(_)));
        assert!(!s.can_undo());
    }

    #[test]
    fn reject_all_then_single_undo() {
        let mut s = Session::new(items(), &HashMap::new());
        assert_eq!(recorded(s.handle(Key::RejectAll)).len(), 3);
        assert_eq!(s.current().unwrap().0, 2);
        assert_eq!(recorded(s.handle(Key::Accept)).len(), 1);
        assert!(s.current().is_none());
        recorded(s.handle(Key::Undo));
        assert_eq!(s.current().unwrap().0, 2);
        assert_eq!(s.tally().rejected, 3);
    }

    #[test]
    fn allow_protects_the_term_everywhere_in_the_queue() {
        let mut s = Session::new(items(), &HashMap::new());
        match s.handle(Key::Allow) {
            Reply::Record { decisions, allow } => {
                assert_eq!(allow.as_deref(), Some(","));
                assert_eq!(decisions.len(), 3);
                assert!(decisions.iter().all(|d| d.verdict == Verdict::Allow));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(s.current().unwrap().0, 2);
    }

    #[test]
    fn a_space_or_an_insertion_allow_lists_the_term_around_it() {
        let text = "记者 孙 雄)报道。孙 雄说";
        let f = finding(text, 1, " ", "");
        let it = Item::new("p", text, f).unwrap();
        assert_eq!(it.allow_term.as_deref(), Some("孙 雄"));
        let g = finding(text, 2, " ", "");
        let mut s = Session::new(vec![it, Item::new("p", text, g).unwrap()], &HashMap::new());
        match s.handle(Key::Allow) {
            Reply::Record { decisions, allow } => {
                assert_eq!(allow.as_deref(), Some("孙 雄"));
                assert_eq!(decisions.len(), 2);
            }
            other => panic!("{other:?}"),
        }
        // An insertion: the chars before (and after) it.
        let text = "集体经济创收\n";
        let span = Span::new(18, 18);
        let mut f = Finding::new("X002", span, "m", Evidence::new(0.5, "r"))
            .with_fix(Fix::single(Applicability::Review, Edit::insert(18, "。")));
        f.original = String::new();
        let it = Item::new("p", text, f).unwrap();
        assert_eq!(it.allow_term.as_deref(), Some("创收"));
        assert_eq!(parse_key("i"), Ok(Key::Info));
    }

    #[test]
    fn line_breaks_cannot_be_allow_listed() {
        let text = "甲\n\n乙";
        let f = finding(text, 0, "\n\n", "");
        let it = Item::new("p", text, f).unwrap();
        assert_eq!(it.view.after, "乙");
        let mut s = Session::new(vec![it], &HashMap::new());
        assert!(matches!(s.handle(Key::Allow), Reply::Invalid(_)));
        assert!(matches!(s.handle(Key::Pick(1)), Reply::Invalid(_)));
    }
}

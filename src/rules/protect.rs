//! Latin spans the punctuation rules leave alone: Markdown code spans
//! (`` `join('，')` ``), Markdown emphasis markers (`*重点*`, `**注意**`,
//! `_标识符_`), link targets and HTML comments, and a `!` or `?` that
//! belongs to a Latin name (`Yahoo!`); and Markdown list items, which the
//! paragraph rules read as items, not prose. Found per paragraph (a block
//! body); spans are byte ranges of the body.

/// Byte ranges of inline code spans: a run of backticks up to the next run
/// of the same length on the line, both runs included. An unclosed run is
/// not a code span.
pub fn code_spans(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !body.contains('`') {
        return out;
    }
    let b = body.as_bytes();
    let run_at = |i: usize| b[i..].iter().take_while(|&&x| x == b'`').count();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let n = run_at(i);
        let mut j = i + n;
        let mut close = None;
        while j < b.len() {
            if b[j] == b'`' {
                let m = run_at(j);
                if m == n {
                    close = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(e) => {
                out.push((i, e));
                i = e;
            }
            None => i += n,
        }
    }
    out
}

/// Longest text a pair of emphasis markers encloses.
const EMPHASIS_MAX_CHARS: usize = 30;

/// Marks that end or split a sentence: emphasis does not enclose them.
const SENTENCE_MARKS: &[char] = &['，', '。', '；', '？', '！', '：'];

/// Byte ranges of Markdown emphasis markers: a run of one to three `*`
/// (or `_`) followed by a non-space char, closed on the same line by a run
/// of the same length preceded by a non-space char (`*重点*`, `**注意**`,
/// `_标识符_`). A `_` run inside a Latin word (`snake_case`) is no marker.
/// Only the marker runs are returned, not the text they enclose.
pub fn emphasis_markers(body: &str) -> Vec<(usize, usize)> {
    let mut out = markers_of(body, b'*');
    out.extend(markers_of(body, b'_'));
    out.sort_unstable();
    out
}

/// [`emphasis_markers`] of one marker byte.
fn markers_of(body: &str, m: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !body.as_bytes().contains(&m) {
        return out;
    }
    let b = body.as_bytes();
    let alnum_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == m {
            let s = i;
            while i < b.len() && b[i] == m {
                i += 1;
            }
            // `_` between Latin letters or digits joins a word
            let intraword = m == b'_' && (s > 0 && alnum_at(s - 1) || alnum_at(i));
            if !intraword {
                runs.push((s, i));
            }
        } else {
            i += 1;
        }
    }
    let space_at = |i: usize| body[i..].chars().next().map_or(true, char::is_whitespace);
    let space_before = |i: usize| {
        body[..i]
            .chars()
            .next_back()
            .map_or(true, char::is_whitespace)
    };
    let mut k = 0;
    while k < runs.len() {
        let (s, e) = runs[k];
        let len = e - s;
        if len <= 3 && !space_at(e) {
            // the next run of the same length that can close
            // emphasis marks a word or a phrase: short, with no sentence
            // mark inside (OCR reads `。` as `*`: `一样*这在…文件*` is two
            // misread stops, not emphasis)
            let phrase = |a: usize, b: usize| {
                let t = &body[a..b];
                t.chars().count() <= EMPHASIS_MAX_CHARS && !t.contains(SENTENCE_MARKS)
            };
            if let Some(j) = (k + 1..runs.len()).find(|&j| {
                let (s2, e2) = runs[j];
                e2 - s2 == len && !space_before(s2) && s2 > e
            }) {
                if !phrase(e, runs[j].0) {
                    k += 1;
                    continue;
                }
                out.push((s, e));
                out.push(runs[j]);
                k = j + 1;
                continue;
            }
        }
        k += 1;
    }
    out
}

/// Byte ranges of HTML comments (`<!-- ignore -->`, as Markdown sources
/// hold them), both delimiters included; an unclosed `<!--` is none.
pub fn html_comments(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = body[at..].find("<!--").map(|i| at + i) {
        let Some(e) = body[s + 4..].find("-->").map(|i| s + 4 + i + 3) else {
            break;
        };
        out.push((s, e));
        at = e;
    }
    out
}

/// Byte ranges of Markdown link targets: the `(…)` right after a `]`
/// (`[文档](#不稳定功能)`, `[书](https://…)`), both parentheses included,
/// up to the first `)` on the line (none without it).
pub fn link_targets(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = body[at..].find("](").map(|i| at + i + 1) {
        let Some(e) = body[s..]
            .find([')', '\n'])
            .filter(|&i| body.as_bytes()[s + i] == b')')
            .map(|i| s + i + 1)
        else {
            at = s + 1;
            continue;
        };
        out.push((s, e));
        at = e;
    }
    out
}

/// True when `body` starts like a Markdown list item: `-`, `*` or `+`, or
/// a number and `.` or `)`, then a space.
pub fn markdown_list_item(body: &str) -> bool {
    let t = body.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        match t.as_bytes().get(digits) {
            Some(b'.' | b')') => &t[digits + 1..],
            _ => return false,
        }
    } else if t.starts_with(['-', '*', '+']) {
        &t[1..]
    } else {
        return false;
    };
    rest.starts_with([' ', '\t'])
}

/// True when the `!` at byte `i` ends a Latin word glued to it (`Yahoo!`,
/// `Jeopardy!`): part of a name, not Chinese punctuation. (A `?` glued to
/// a Latin word is far more often a misread `？` or `）`.)
pub fn latin_name_mark(body: &str, i: usize) -> bool {
    let word: Vec<char> = body[..i]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    body.as_bytes().get(i) == Some(&b'!')
        && word.len() >= 2
        && word.iter().any(|c| c.is_ascii_alphabetic())
}

/// Code spans and emphasis markers of `body`, sorted by start.
pub fn protected(body: &str) -> Vec<(usize, usize)> {
    let mut v = code_spans(body);
    v.extend(emphasis_markers(body));
    v.extend(html_comments(body));
    v.extend(link_targets(body));
    v.sort_unstable();
    v
}

/// True when byte `i` falls in one of `spans`.
pub fn inside(spans: &[(usize, usize)], i: usize) -> bool {
    spans.iter().any(|&(s, e)| s <= i && i < e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_pair_runs_of_equal_length() {
        let t = "用`join('，')`连接，``a`b``也是";
        let v = code_spans(t);
        assert_eq!(v.len(), 2);
        assert_eq!(&t[v[0].0..v[0].1], "`join('，')`");
        assert_eq!(&t[v[1].0..v[1].1], "``a`b``");
        assert!(code_spans("只有一个`反引号").is_empty());
    }

    #[test]
    fn emphasis_markers_pair_on_the_line() {
        let t = "这是*重点*，那是**注意**";
        let v = emphasis_markers(t);
        let s: Vec<&str> = v.iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(s, ["*", "*", "**", "**"]);
        // a lone star, or stars with spaces inside, are not emphasis
        assert!(emphasis_markers("结束了*").is_empty());
        assert!(emphasis_markers("3 * 4 * 5").is_empty());
        // two misread stops around a sentence
        assert!(emphasis_markers("一样*这在网上很方便，或者共享文件*").is_empty());
    }

    #[test]
    fn underscore_emphasis_pairs_outside_latin_words() {
        let t = "）。_标识符_ 指的是";
        let s: Vec<&str> = emphasis_markers(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(s, ["_", "_"]);
        // `snake_case` and `a_b_c` hold no markers; a lone `_` is none
        assert!(emphasis_markers("调用snake_case与a_b_c函数").is_empty());
        assert!(emphasis_markers("下划线字符_。").is_empty());
    }

    #[test]
    fn html_comments_are_protected_whole() {
        let t = "见[选项][option]<!-- ignore -->，如下：";
        let v = html_comments(t);
        assert_eq!(v.len(), 1);
        assert_eq!(&t[v[0].0..v[0].1], "<!-- ignore -->");
        assert!(html_comments("没有闭合<!-- 的注释").is_empty());
        assert!(inside(&protected(t), t.find("-->").unwrap()));
    }

    #[test]
    fn link_targets_are_the_parentheses_after_a_bracket() {
        let t = "参见[“不稳定功能”](#不稳定功能) 一节（或[书](https://a.b/c)）";
        let s: Vec<&str> = link_targets(t).iter().map(|&(a, b)| &t[a..b]).collect();
        assert_eq!(s, ["(#不稳定功能)", "(https://a.b/c)"]);
        assert!(link_targets("数组[0](未闭合").is_empty());
        assert!(link_targets("一个(普通的)括号").is_empty());
    }

    #[test]
    fn markdown_list_items_need_a_marker_and_a_space() {
        assert!(markdown_list_item("- 列表") && markdown_list_item("* 列表"));
        assert!(markdown_list_item("10) 列表") && markdown_list_item("2. 列表"));
        assert!(!markdown_list_item("-5度的时候") && !markdown_list_item("2.5倍"));
        assert!(!markdown_list_item("*重点*在这里"));
    }

    #[test]
    fn latin_names_keep_their_marks() {
        let t = "用Yahoo!搜索";
        assert!(latin_name_mark(t, t.find('!').unwrap()));
        for t in ["好吗?对", "Corner?活动"] {
            assert!(!latin_name_mark(t, t.find('?').unwrap()), "{t}");
        }
    }
}

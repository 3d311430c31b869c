//! The engine: splits a document into [`Block`]s, runs the rules, applies
//! the fixes of the chosen tier, and rebases every finding onto the original
//! text.
//!
//! Streaming: a document is read line by line; the engine holds the current
//! block, one block of look-ahead and a window of [`LOOKBACK`] previous
//! bodies, so memory does not grow with the document. Edits never cross a
//! block, so the output of a block is final as soon as it is processed, and
//! the result does not depend on how the input is chunked.
//!
//! Long lines: a line longer than [`MAX_BLOCK_BYTES`] is cut into pieces
//! (after a sentence end where possible, see `cut`), each processed as a
//! block with an empty separator and marked [`Block::continues`] /
//! [`Block::continued`]; paragraph-level rules stay quiet on pieces. Memory
//! is then bounded by the limit, not by the longest line.
//!
//! Threads: in a rayon pool of more than one thread, blocks are read a
//! chunk at a time and processed on all the pool's threads, a bounded
//! window of them in flight (see `parallel`); the output is the same as on
//! one thread.

use crate::apply::{apply_fixes, SourceMap};
use crate::correct::confusion::Channel;
use crate::correct::{CorrectionModel, Profile};
use crate::edit::{Applicability, Fix};
use crate::finding::Finding;
use crate::lexicon::Lexicon;
use crate::rules::{builtin_rules, Block, Context, PrevBlock, Rule};
use crate::span::{LineIndex, Location, Span};
use aho_corasick::AhoCorasick;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, BufRead};
use std::sync::Arc;

mod cut;
#[cfg(test)]
mod long_line_tests;
mod parallel;
#[cfg(test)]
mod parallel_tests;
mod recheck;

pub use parallel::CHUNK_BYTES;

/// Longest line (in bytes, line ending excluded) processed as one block;
/// a longer line is cut into pieces of at most this size. 256 KiB: far
/// longer than any paragraph (about 85,000 Han chars), small enough that a
/// line without a newline is processed in bounded memory even when it is
/// dense with findings: a piece holds all its findings until it is
/// reported (~150,000 findings and ~35 MB on a 1 MiB piece of
/// `中文,内容,测试,`, when this limit was 1 MiB), and each thread works on
/// one piece.
pub const MAX_BLOCK_BYTES: usize = 1 << 18;

/// Smallest block limit [`Engine::with_max_block_bytes`] accepts.
const MIN_BLOCK_BYTES: usize = 16;

/// How many previous block bodies rules can see.
pub const LOOKBACK: usize = 64;
/// How many times a block is re-checked after its fixes were applied.
pub const MAX_PASSES: usize = 4;

/// What to run and what to apply.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Apply fixes of this tier and above; None = report only.
    pub apply: Option<Applicability>,
    /// Rule codes not to run.
    pub disabled: HashSet<String>,
    /// If non-empty, only these rule codes run.
    pub only: HashSet<String>,
    /// Per-rule tier ceilings (a rule can be lowered, never raised).
    pub downgrade: HashMap<String, Applicability>,
    /// Terms never changed: a finding touching one is dropped, whatever the
    /// rule.
    pub allow: Vec<String>,
    /// User corrections `wrong → right` (rule C701).
    pub corrections: Vec<(String, String)>,
    /// Regexes whose matches (within one block) are protected like
    /// allow-list terms.
    pub ignore_re: Vec<regex::Regex>,
    /// The correction profile (`--profile`).
    pub profile: Profile,
    /// A user OCR channel replacing the embedded one (`--channel FILE`).
    pub channel: Option<Arc<Channel>>,
}

/// The result of processing one block.
#[derive(Debug, Clone)]
pub struct BlockOutput {
    /// The block's original text.
    pub original: String,
    /// The block's text after applying fixes.
    pub cleaned: String,
    /// Findings, rebased onto the original document.
    pub findings: Vec<Finding>,
    /// The block starts mid-line: an earlier piece of a line longer than
    /// [`MAX_BLOCK_BYTES`] came before it.
    pub continued: bool,
    /// The block ends mid-line: the line goes on in the next block.
    pub continues: bool,
}

/// The result of processing a whole document held in memory.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The cleaned text.
    pub text: String,
    /// All findings, in document order, with original-text offsets.
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// True if any fix was applied.
    pub fn changed(&self) -> bool {
        self.findings.iter().any(|f| f.applied)
    }
}

/// Errors while reading a document.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Reading failed.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    /// The input is not valid UTF-8.
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: u64,
    },
}

/// Runs rules over documents. Cheap to share across threads.
pub struct Engine<'l> {
    lexicon: &'l Lexicon,
    rules: Vec<Box<dyn Rule>>,
    allow: Option<AhoCorasick>,
    opts: Options,
    model: CorrectionModel,
    max_block: usize,
    /// Input read at a time when processing on several threads; 0: the
    /// default, [`CHUNK_BYTES`].
    batch_bytes: usize,
}

impl<'l> Engine<'l> {
    /// An engine with the built-in rules, filtered by `opts`.
    pub fn new(lexicon: &'l Lexicon, opts: Options) -> Engine<'l> {
        Engine::with_rules(lexicon, builtin_rules(), opts)
    }

    /// An engine with the given rules, filtered by `opts`.
    pub fn with_rules(
        lexicon: &'l Lexicon,
        rules: Vec<Box<dyn Rule>>,
        opts: Options,
    ) -> Engine<'l> {
        let mut rules = rules;
        if let Some(r) = crate::rules::user_correction::UserCorrection::new(&opts.corrections) {
            rules.push(Box::new(r));
        }
        let rules = rules
            .into_iter()
            .filter(|r| {
                let code = r.meta().code;
                !opts.disabled.contains(code) && (opts.only.is_empty() || opts.only.contains(code))
            })
            .collect();
        let terms: Vec<&str> = opts
            .allow
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        let allow = if terms.is_empty() {
            None
        } else {
            AhoCorasick::new(&terms).ok()
        };
        let model = CorrectionModel::new(opts.profile, opts.channel.clone());
        Engine {
            lexicon,
            rules,
            allow,
            opts,
            model,
            max_block: MAX_BLOCK_BYTES,
            batch_bytes: 0,
        }
    }

    /// The same engine cutting lines longer than `limit` bytes (at least
    /// 16) into pieces instead of [`MAX_BLOCK_BYTES`]. For tests and
    /// memory-constrained uses; output is the same for text whose fixes all
    /// lie within sentences.
    pub fn with_max_block_bytes(mut self, limit: usize) -> Engine<'l> {
        self.max_block = limit.max(MIN_BLOCK_BYTES);
        self
    }

    /// The same engine reading `bytes` of input (at least one block) at a
    /// time when processing on several threads, instead of
    /// [`CHUNK_BYTES`], and taking the several-thread path even in a pool
    /// of one thread. The output does not depend on it; for tests.
    pub fn with_batch_bytes(mut self, bytes: usize) -> Engine<'l> {
        self.batch_bytes = bytes.max(1);
        self
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &'l Lexicon {
        self.lexicon
    }

    /// Process a document held in memory.
    pub fn process_str(&self, text: &str) -> Outcome {
        let mut out = Outcome::default();
        self.process_reader(text.as_bytes(), |b| {
            out.text.push_str(&b.cleaned);
            out.findings.extend(b.findings);
            Ok(())
        })
        .expect("reading from memory cannot fail and &str is valid UTF-8");
        out
    }

    /// Process a document from a reader, handing each block's result to
    /// `sink` in order. Memory is bounded by the block limit
    /// ([`MAX_BLOCK_BYTES`]) times the look-back window: a longer line
    /// reaches `sink` as several pieces.
    ///
    /// Called in a rayon pool of more than one thread (the global pool
    /// outside any), the blocks are processed on all its threads, read
    /// [`CHUNK_BYTES`] at a time, with no wait between chunks; `sink` is
    /// still called in order, on the calling thread, and the output is the
    /// same.
    pub fn process_reader<R: BufRead>(
        &self,
        reader: R,
        sink: impl FnMut(BlockOutput) -> io::Result<()>,
    ) -> Result<(), EngineError> {
        let threads = rayon::current_num_threads();
        if threads > 1 || self.batch_bytes > 0 {
            let chunk = match self.batch_bytes {
                0 => CHUNK_BYTES,
                n => n,
            };
            return self.process_reader_parallel(reader, chunk, sink);
        }
        self.process_reader_sequential(reader, sink)
    }

    /// [`Engine::process_reader`] on the calling thread, block by block.
    fn process_reader_sequential<R: BufRead>(
        &self,
        mut reader: R,
        mut sink: impl FnMut(BlockOutput) -> io::Result<()>,
    ) -> Result<(), EngineError> {
        let mut lines = LineReader::new(&mut reader, self.max_block);
        let mut prev: VecDeque<PrevBlock> = VecDeque::with_capacity(LOOKBACK + 1);
        let mut pos = DocPos::default();
        let mut index = 0;
        let mut current = read_block(&mut lines, true)?;
        let mut after_blank_run = false;
        while let Some(cur) = current {
            let next = read_block(&mut lines, false)?;
            let (out, norm) = self.process_block(
                &cur,
                index,
                prev.make_contiguous(),
                Neighbours {
                    next: next.as_ref().map(|n| n.body()),
                    next_is_piece: next.as_ref().is_some_and(RawBlock::is_piece),
                    after_blank_run,
                },
                &pos,
                None,
            );
            pos.advance(&cur.text);
            // the rest of a run of blank lines longer than the limit: part
            // of the previous block's separator, not a paragraph
            let blank_run = cur.continued && cur.body_len == 0;
            after_blank_run = blank_run;
            if blank_run {
                // nothing to look back at
            } else if cur.is_piece() {
                // one look-back entry per long line: its latest piece
                if cur.continued && prev.back().is_some_and(PrevBlock::is_piece) {
                    prev.pop_back();
                }
                prev.push_back(PrevBlock::piece(index, cur.body()));
            } else {
                prev.push_back(match norm {
                    Some(norm) => PrevBlock::with_normalized(index, cur.body(), norm),
                    None => PrevBlock::new(index, cur.body()),
                });
            }
            if prev.len() > LOOKBACK {
                prev.pop_front();
            }
            sink(out)?;
            // the pieces of a line share its index
            if !cur.continues && !blank_run {
                index += 1;
            }
            current = next;
        }
        Ok(())
    }

    /// Run every rule on `block`. With `needed = Some(tier)` (the passes
    /// after the first, which keep only fixes applied at `tier` or above),
    /// rules whose ceiling is below `tier` are skipped: none of their
    /// findings could be kept.
    fn run_rules(&self, block: &Block<'_>, needed: Option<Applicability>) -> Vec<Finding> {
        let ctx = Context::with_model(self.lexicon, &self.model);
        let mut found = Vec::new();
        for rule in &self.rules {
            let meta = rule.meta();
            let ceiling = self
                .opts
                .downgrade
                .get(meta.code)
                .copied()
                .unwrap_or(meta.default_tier)
                .min(meta.default_tier);
            if needed.is_some_and(|t| ceiling < t) {
                continue;
            }
            let start = found.len();
            rule.check(&ctx, block, &mut found);
            for f in &mut found[start..] {
                if let Some(fix) = &mut f.fix {
                    fix.applicability = fix.applicability.min(ceiling);
                }
            }
        }
        let protected = self.protected_spans(block.text);
        found.retain(|f| {
            let in_bounds = Span::checked(block.text, f.span.start, f.span.end).is_some();
            in_bounds && !touches_protected(f, &protected)
        });
        found
    }

    fn protected_spans(&self, text: &str) -> Vec<Span> {
        let mut spans: Vec<Span> = match &self.allow {
            None => Vec::new(),
            Some(ac) => ac
                .find_overlapping_iter(text)
                .map(|m| Span::new(m.start(), m.end()))
                .collect(),
        };
        for re in &self.opts.ignore_re {
            spans.extend(
                re.find_iter(text)
                    .filter(|m| !m.is_empty())
                    .map(|m| Span::new(m.start(), m.end())),
            );
        }
        spans
    }

    fn process_block(
        &self,
        raw: &RawBlock,
        index: usize,
        prev: &[PrevBlock],
        around: Neighbours<'_>,
        pos: &DocPos,
        mut seed: Option<(Vec<char>, usize)>,
    ) -> (BlockOutput, Option<(Vec<char>, usize)>) {
        let original = raw.text.as_str();
        let mut text = original.to_string();
        let mut maps: Vec<SourceMap> = Vec::new();
        let mut findings: Vec<Finding> = Vec::new();
        let mut norm = None;
        for pass in 0..MAX_PASSES {
            let body_len = if pass == 0 || raw.body_len == 0 {
                raw.body_len.min(text.len())
            } else {
                body_len_of(&text)
            };
            let mut block = Block::new(&text, body_len, index, prev, around.next, pass);
            block.continued = raw.continued;
            block.continues = raw.continues;
            block.next_is_piece = around.next_is_piece;
            block.after_blank_run = around.after_blank_run;
            if let Some(norm) = seed.take() {
                // (the original body's, pass 0)
                block = block.with_normalized(norm);
            }
            let needed = self.opts.apply.filter(|_| pass > 0);
            let mut found = match maps.last() {
                Some(changed) if raw.is_piece() => self.recheck_changes(&block, changed, needed),
                _ => self.run_rules(&block, needed),
            };
            if pass == 0 {
                // the original body, normalized by the duplicate rules:
                // the look-back entry of this block reuses it
                norm = block.into_normalized();
            }
            let Some(tier) = self.opts.apply else {
                findings = found;
                break;
            };
            if pass > 0 {
                // Only fixes enabled by earlier passes are of interest now.
                found.retain(|f| f.tier() >= tier);
            }
            let idx: Vec<usize> = (0..found.len())
                .filter(|&i| found[i].tier() >= tier && found[i].fix.is_some())
                .collect();
            let fixes: Vec<&Fix> = idx.iter().filter_map(|&i| found[i].fix.as_ref()).collect();
            let applied = apply_fixes(&text, &fixes);
            for (k, &i) in idx.iter().enumerate() {
                found[i].applied = applied.applied[k];
            }
            let any = applied.applied.iter().any(|a| *a);
            if pass > 0 {
                found.retain(|f| f.applied);
                for f in &mut found {
                    map_back(f, &maps);
                }
            }
            if findings.is_empty() {
                // (the first pass: a move, not a copy of every finding
                // into a second buffer at the block's peak of memory;
                // grown by doubling, up to half its room is empty while
                // the later passes run)
                findings = found;
                findings.shrink_to_fit();
            } else {
                findings.reserve_exact(found.len());
                findings.extend(found);
            }
            if !any {
                break;
            }
            text = applied.text;
            maps.push(applied.map);
        }
        // A first-pass finding that a later pass found again and applied
        // (its first fix was blocked by an overlapping edit) is not pending.
        // (Applied spans per rule, sorted by start, with their longest
        // length: a finding is compared only with the spans that can reach
        // it, so a block with 100,000 findings stays linear-logarithmic.)
        if findings.iter().any(|f| f.applied) {
            let mut resolved: HashMap<Cow<'static, str>, (Vec<Span>, usize)> = HashMap::new();
            for f in findings.iter().filter(|f| f.applied) {
                let e = resolved.entry(f.rule.clone()).or_default();
                e.0.push(f.span);
                e.1 = e.1.max(f.span.end - f.span.start);
            }
            for (spans, _) in resolved.values_mut() {
                spans.sort_by_key(|s| (s.start, s.end));
            }
            findings.retain(|f| {
                f.applied
                    || f.fix.is_none()
                    || !resolved.get(&f.rule).is_some_and(|(spans, max_len)| {
                        // a span ending before f starts, or starting after f
                        // ends, neither overlaps nor equals it
                        let lo = spans.partition_point(|s| s.start + max_len < f.span.start);
                        spans[lo..]
                            .iter()
                            .take_while(|s| s.start <= f.span.end)
                            .any(|s| s.overlaps(&f.span) || *s == f.span)
                    })
            });
        }
        // Rebase onto the document.
        let li = LineIndex::new(original);
        sort_by_span(&mut findings);
        let mut cursor = (0, 0);
        for f in &mut findings {
            let local = f.span;
            f.original = original
                .get(local.start..local.end)
                .unwrap_or("")
                .to_string();
            let loc = li.locate_from(original, local, &mut cursor);
            f.location = Some(Location {
                byte_start: pos.byte + loc.byte_start,
                byte_end: pos.byte + loc.byte_end,
                char_start: pos.chars + loc.char_start,
                char_end: pos.chars + loc.char_end,
                line: pos.line + loc.line,
                // a piece may start mid-line
                column: if loc.line == 1 {
                    pos.column + loc.column
                } else {
                    loc.column
                },
            });
            // (every span moves by the same amount: the order stays)
            f.rebase(pos.byte);
        }
        // (grown by doubling: up to half its room is empty, and it waits
        // for the blocks before it to be reported)
        findings.shrink_to_fit();
        (
            BlockOutput {
                original: original.to_string(),
                cleaned: text,
                findings,
                continued: raw.continued,
                continues: raw.continues,
            },
            norm,
        )
    }
}

/// Sort `findings` by span (start, then end), keeping the order of equal
/// spans, as `sort_by_key` would, but without its scratch buffer of
/// findings (up to 8 MB at 264 bytes a finding, for each block being
/// rebased): the keys are sorted and the findings moved in place along the
/// permutation's cycles. An already sorted vector is left as it is.
fn sort_by_span(findings: &mut [Finding]) {
    let key = |f: &Finding| (f.span.start, f.span.end);
    if findings.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        return;
    }
    let mut keys: Vec<(usize, usize, usize)> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.span.start, f.span.end, i))
        .collect();
    // (the index makes every key distinct: an unstable sort is stable here)
    keys.sort_unstable();
    // from[k]: where the finding that goes to k is now
    let mut from: Vec<usize> = keys.into_iter().map(|k| k.2).collect();
    for start in 0..from.len() {
        // each cycle: the finding at `start` is carried along it (swapped
        // forward) until the place it goes to
        let mut at = start;
        while from[at] != start {
            let next = from[at];
            findings.swap(at, next);
            from[at] = at;
            at = next;
        }
        from[at] = at;
    }
}

/// Map a later-pass finding's spans back to the original block text.
fn map_back(f: &mut Finding, maps: &[SourceMap]) {
    let back = |mut s: Span| {
        for m in maps.iter().rev() {
            s = m.span_to_original(s);
        }
        s
    };
    f.span = back(f.span);
    if let Some(fix) = &mut f.fix {
        for e in &mut fix.edits {
            e.span = back(e.span);
        }
    }
}

fn touches_protected(f: &Finding, protected: &[Span]) -> bool {
    if protected.is_empty() {
        return false;
    }
    let mut spans = vec![f.span];
    if let Some(fix) = &f.fix {
        spans.extend(fix.edits.iter().map(|e| e.span));
    }
    spans
        .iter()
        .any(|s| protected.iter().any(|p| p.overlaps(s)))
}

/// Length of the body of a block's text: up to the first line ending.
pub fn body_len_of(text: &str) -> usize {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => i - 1,
        Some(i) => i,
        None => text.len(),
    }
}

#[derive(Debug, Default, Clone)]
struct DocPos {
    byte: usize,
    chars: usize,
    line: usize,
    /// Chars since the last line start (non-zero only before a piece that
    /// continues a line).
    column: usize,
}

impl DocPos {
    fn advance(&mut self, text: &str) {
        self.byte += text.len();
        let chars = text.chars().count();
        self.chars += chars;
        match text.rfind('\n') {
            Some(i) => {
                self.line += text.bytes().filter(|&b| b == b'\n').count();
                self.column = text[i + 1..].chars().count();
            }
            None => self.column += chars,
        }
    }
}

/// What a block knows of its neighbours in the document.
#[derive(Clone, Copy)]
struct Neighbours<'a> {
    /// The next block's body.
    next: Option<&'a str>,
    /// The next block is a piece of a long line or the rest of a blank run.
    next_is_piece: bool,
    /// The block before was the rest of a blank run.
    after_blank_run: bool,
}

/// A block as read: its text and body length.
#[derive(Debug, Clone)]
struct RawBlock {
    text: String,
    body_len: usize,
    /// Starts mid-line (a later piece of a long line).
    continued: bool,
    /// Ends mid-line (the line goes on in the next block).
    continues: bool,
}

impl RawBlock {
    fn body(&self) -> &str {
        &self.text[..self.body_len]
    }

    fn is_piece(&self) -> bool {
        self.continued || self.continues
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace())
}

/// A line, or a piece of a line longer than the block limit.
struct Segment {
    text: String,
    /// An earlier piece of the same line came before.
    continued: bool,
    /// The line goes on after this piece.
    continues: bool,
}

/// Reads lines of at most `limit` bytes (line ending excluded); a longer
/// line comes as several pieces cut by [`cut::cut_point`]. At most `limit`
/// plus a few bytes are buffered, however long the line.
struct LineReader<'r, R: BufRead> {
    reader: &'r mut R,
    /// Bytes of the input before `buf`.
    offset: u64,
    peeked: Option<Segment>,
    /// The bytes read of the current line (after any pieces already cut).
    buf: Vec<u8>,
    limit: usize,
    /// The last segment returned was a piece that continues.
    mid_line: bool,
    /// The previous block's blank lines were cut at the limit: the next
    /// block is the rest of them.
    blank_run: bool,
}

impl<'r, R: BufRead> LineReader<'r, R> {
    fn new(reader: &'r mut R, limit: usize) -> Self {
        LineReader {
            reader,
            offset: 0,
            peeked: None,
            buf: Vec::new(),
            limit,
            mid_line: false,
            blank_run: false,
        }
    }

    /// Append to `buf` up to a newline, the end of input, or more than
    /// `limit` + 4 bytes (room for the char after a cut). True when the
    /// line is complete.
    fn fill(&mut self) -> io::Result<bool> {
        let cap = self.limit + 4;
        loop {
            if self.buf.len() > cap {
                return Ok(false);
            }
            let avail = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(true);
            }
            let take = &avail[..avail.len().min(cap + 1 - self.buf.len())];
            match take.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.buf.extend_from_slice(&take[..=i]);
                    self.reader.consume(i + 1);
                    return Ok(true);
                }
                None => {
                    let n = take.len();
                    self.buf.extend_from_slice(take);
                    self.reader.consume(n);
                }
            }
        }
    }

    fn next_line(&mut self) -> Result<Option<Segment>, EngineError> {
        if let Some(l) = self.peeked.take() {
            return Ok(Some(l));
        }
        let complete = self.fill()?;
        if self.buf.is_empty() {
            return Ok(None);
        }
        let valid = match std::str::from_utf8(&self.buf) {
            Ok(s) => s,
            // a char cut by the buffer's end, in a line that goes on
            Err(e) if !complete && e.error_len().is_none() => {
                std::str::from_utf8(&self.buf[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => {
                return Err(EngineError::InvalidUtf8 {
                    offset: self.offset + e.valid_up_to() as u64,
                })
            }
        };
        let continued = self.mid_line;
        if complete && body_len_of(valid) <= self.limit {
            let text = valid.to_string();
            self.offset += self.buf.len() as u64;
            self.buf.clear();
            self.mid_line = false;
            return Ok(Some(Segment {
                text,
                continued,
                continues: false,
            }));
        }
        let at = cut::cut_point(valid, self.limit);
        let text = valid[..at].to_string();
        self.buf.drain(..at);
        self.offset += at as u64;
        self.mid_line = true;
        Ok(Some(Segment {
            text,
            continued,
            continues: true,
        }))
    }

    fn push_back(&mut self, line: Segment) {
        self.peeked = Some(line);
    }
}

/// The rest of a run of blank lines cut at the limit, starting with
/// `first`: a block with an empty body, marked `continued`, of at most the
/// limit (and cut again after it).
fn blank_run<R: BufRead>(
    lines: &mut LineReader<'_, R>,
    first: Segment,
) -> Result<RawBlock, EngineError> {
    let mut text = first.text;
    let mut ends = text.ends_with('\n') && !first.continues;
    while ends {
        let Some(l) = lines.next_line()? else { break };
        if l.continues || !is_blank(&l.text) {
            lines.push_back(l);
            break;
        }
        if text.len() > lines.limit {
            lines.push_back(l);
            lines.blank_run = true;
            break;
        }
        ends = l.text.ends_with('\n');
        text.push_str(&l.text);
    }
    Ok(RawBlock {
        text,
        body_len: 0,
        continued: true,
        continues: false,
    })
}

/// Read one block: a non-blank line (or, at document start, nothing) plus
/// the whitespace-only lines after it; or one piece of a long line.
fn read_block<R: BufRead>(
    lines: &mut LineReader<'_, R>,
    at_start: bool,
) -> Result<Option<RawBlock>, EngineError> {
    let first = match lines.next_line()? {
        None => return Ok(None),
        Some(l) => l,
    };
    let (continued, continues) = (first.continued, first.continues);
    if std::mem::take(&mut lines.blank_run) {
        // (a blank run can only be cut after a whole line)
        return Ok(Some(blank_run(lines, first)?));
    }
    if continues {
        return Ok(Some(RawBlock {
            body_len: first.text.len(),
            text: first.text,
            continued,
            continues,
        }));
    }
    let body_len = if at_start && !continued && is_blank(&first.text) {
        0
    } else {
        body_len_of(&first.text)
    };
    let mut text = first.text;
    if text.ends_with('\n') {
        while let Some(l) = lines.next_line()? {
            if text.len() - body_len > lines.limit && is_blank(&l.text) {
                // blank lines go on past the limit: they continue in a
                // block of their own (empty body, `continued`)
                lines.push_back(l);
                lines.blank_run = true;
                break;
            }
            if !l.continues && is_blank(&l.text) {
                let ends = l.text.ends_with('\n');
                text.push_str(&l.text);
                if !ends {
                    break;
                }
            } else {
                lines.push_back(l);
                break;
            }
        }
    }
    Ok(Some(RawBlock {
        text,
        body_len,
        continued,
        continues,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;
    use crate::rules::RuleMeta;

    static META: RuleMeta = RuleMeta {
        code: "X001",
        name: "test-comma",
        summary: "ASCII comma after a Han char",
        default_tier: Applicability::Safe,
        doc: "",
    };

    struct Comma;
    impl Rule for Comma {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }
        fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
            for (i, _) in b.body().match_indices(',') {
                out.push(
                    Finding::new("X001", Span::new(i, i + 1), "comma", Default::default())
                        .with_fix(Fix::single(
                            Applicability::Safe,
                            Edit::replace(Span::new(i, i + 1), "，"),
                        )),
                );
            }
        }
    }

    fn engine(apply: Option<Applicability>, allow: &[&str]) -> Engine<'static> {
        let lex = Box::leak(Box::new(
            Lexicon::from_entries(Vec::<(String, _)>::new()).unwrap(),
        ));
        Engine::with_rules(
            lex,
            vec![Box::new(Comma)],
            Options {
                apply,
                allow: allow.iter().map(|s| s.to_string()).collect(),
                ..Options::default()
            },
        )
    }

    static REVIEW_META: RuleMeta = RuleMeta {
        code: "X002",
        name: "test-counter",
        summary: "counts the passes it runs in",
        default_tier: Applicability::Review,
        doc: "",
    };

    /// A review-ceiling rule that records the pass of every call.
    struct PassCounter(std::sync::Mutex<Vec<usize>>);
    impl Rule for PassCounter {
        fn meta(&self) -> &'static RuleMeta {
            &REVIEW_META
        }
        fn check(&self, _: &Context<'_>, b: &Block<'_>, _: &mut Vec<Finding>) {
            self.0.lock().unwrap().push(b.pass);
        }
    }

    #[test]
    fn later_passes_skip_rules_that_cannot_reach_the_tier() {
        let lex = Box::leak(Box::new(
            Lexicon::from_entries(Vec::<(String, _)>::new()).unwrap(),
        ));
        for (apply, passes) in [
            (Applicability::Safe, vec![0]),
            (Applicability::Review, vec![0, 1]),
        ] {
            let counter = Box::leak(Box::new(PassCounter(Default::default())));
            struct Shared(&'static PassCounter);
            impl Rule for Shared {
                fn meta(&self) -> &'static RuleMeta {
                    self.0.meta()
                }
                fn check(&self, c: &Context<'_>, b: &Block<'_>, o: &mut Vec<Finding>) {
                    self.0.check(c, b, o)
                }
            }
            let e = Engine::with_rules(
                lex,
                vec![Box::new(Comma), Box::new(Shared(counter))],
                Options {
                    apply: Some(apply),
                    ..Options::default()
                },
            );
            // the comma fix forces a second pass over the block
            assert_eq!(e.process_str("甲,乙").text, "甲，乙");
            assert_eq!(*counter.0.lock().unwrap(), passes, "{apply:?}");
        }
    }

    #[test]
    fn sort_by_span_is_the_stable_sort() {
        // spans with many ties, in a scrambled order; each finding named by
        // its place, so a tie broken the wrong way shows
        let mut state = 0x2545_f491_u64;
        for n in [0, 1, 2, 3, 17, 200, 1000] {
            let fs: Vec<Finding> = (0..n)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let s = (state % 23) as usize;
                    let e = s + (state >> 40) as usize % 3;
                    Finding::new("X", Span::new(s, e), format!("{i}"), Default::default())
                })
                .collect();
            let mut want = fs.clone();
            want.sort_by_key(|f| (f.span.start, f.span.end));
            let mut got = fs.clone();
            sort_by_span(&mut got);
            assert_eq!(got, want, "{n} findings");
            // sorted input stays as it is
            sort_by_span(&mut got);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn blocks_keep_every_byte() {
        let e = engine(None, &[]);
        for t in [
            "",
            "\n",
            " \n\n甲\n\n\n乙",
            "甲\r\n\r\n乙\r\n",
            "a\n \n\t\nb\n",
            "x",
        ] {
            assert_eq!(e.process_str(t).text, t);
        }
    }

    #[test]
    fn applies_and_rebases() {
        let e = engine(Some(Applicability::Safe), &[]);
        let o = e.process_str("第一行\n\n甲,乙\n");
        assert_eq!(o.text, "第一行\n\n甲，乙\n");
        assert_eq!(o.findings.len(), 1);
        let f = &o.findings[0];
        assert!(f.applied);
        let loc = f.location.unwrap();
        assert_eq!((loc.line, loc.column, loc.char_start), (3, 2, 6));
        assert_eq!(f.span.start, "第一行\n\n甲".len());
        assert_eq!(f.original, ",");
    }

    #[test]
    fn check_mode_changes_nothing() {
        let e = engine(None, &[]);
        let o = e.process_str("甲,乙");
        assert_eq!(o.text, "甲,乙");
        assert!(!o.findings[0].applied);
    }

    #[test]
    fn allow_list_beats_rules() {
        let e = engine(Some(Applicability::Safe), &["甲,乙"]);
        let o = e.process_str("甲,乙 丙,丁");
        assert_eq!(o.text, "甲,乙 丙，丁");
        assert_eq!(o.findings.len(), 1);
    }

    #[test]
    fn ignore_re_protects_matches() {
        let lex = Box::leak(Box::new(
            Lexicon::from_entries(Vec::<(String, _)>::new()).unwrap(),
        ));
        let e = Engine::with_rules(
            lex,
            vec![Box::new(Comma)],
            Options {
                apply: Some(Applicability::Safe),
                ignore_re: vec![regex::Regex::new(r"\d+,\d+").unwrap()],
                ..Options::default()
            },
        );
        let o = e.process_str("甲,乙 1,000");
        assert_eq!(o.text, "甲，乙 1,000");
    }

    #[test]
    fn invalid_utf8_reports_offset() {
        let e = engine(None, &[]);
        let err = e.process_reader(&b"ab\n\xffc"[..], |_| Ok(())).unwrap_err();
        assert!(matches!(err, EngineError::InvalidUtf8 { offset: 3 }));
    }
}

//! Rules: each has a stable code, documentation, a default tier, and a
//! detector that turns a [`Block`] into [`Finding`]s. Detectors only produce
//! data; they never print and never apply.
//!
//! Codes by family (never reused; a renamed code keeps working through
//! [`redirect`]):
//! - `N1xx` Unicode normalization
//! - `P2xx` punctuation and quotes
//! - `W3xx` whitespace and layout
//! - `R4xx` repetition and duplicates
//! - `S5xx` paragraph structure
//! - `F6xx` foreign tokens in Chinese text
//! - `C7xx` character errors (wrong, dropped, extra characters)

use crate::correct::CorrectionModel;
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::lexicon::Lexicon;

pub mod bound_char;
pub mod char_dropped;
pub mod char_subst;
pub mod in_context;
pub mod ocr_punct;
pub mod registry;
pub mod user_correction;

pub mod broken_paragraph;
pub mod doubled;
pub mod duplicate_paragraph;
pub mod foreign_word;
pub mod han;
pub mod inner_mark;
pub mod mark_space;
pub mod protect;
pub mod punct_width;
pub mod quotes;
pub mod repeated_phrase;
pub mod unicode;
pub mod whitespace;

pub use registry::{all_rules, lookup, redirect, RuleMeta};

/// A previous block kept in the engine's bounded look-back window.
///
/// Carries what paragraph-comparing rules need, computed once when the
/// block enters the window rather than once per later block.
#[derive(Debug, Clone)]
pub struct PrevBlock {
    /// Index of the block in the document.
    pub index: usize,
    /// The block's body (its line, without line ending), as in the input.
    pub body: String,
    fingerprint: duplicate_paragraph::Fingerprint,
    norm: Vec<char>,
    /// (shared by the entry's copies: the engine copies the look-back
    /// window into each chunk of blocks it plans on several threads)
    trigrams: std::sync::Arc<std::sync::OnceLock<duplicate_paragraph::Trigrams>>,
    piece: bool,
}

impl PrevBlock {
    /// A look-back entry for block `index` with body `body`.
    pub fn new(index: usize, body: impl Into<String>) -> PrevBlock {
        let body = body.into();
        let norm = duplicate_paragraph::normalize(&body);
        let han = duplicate_paragraph::han_count(&body);
        PrevBlock::with_normalized(index, body, (norm, han))
    }

    /// Like [`PrevBlock::new`], with the body's normalized form and Han
    /// count already computed (by [`Block::normalized`] on the same body).
    pub fn with_normalized(
        index: usize,
        body: impl Into<String>,
        (norm, han): (Vec<char>, usize),
    ) -> PrevBlock {
        PrevBlock {
            index,
            fingerprint: duplicate_paragraph::fingerprint_of(&norm, han),
            norm,
            body: body.into(),
            trigrams: Default::default(),
            piece: false,
        }
    }

    /// A look-back entry for a piece of a line longer than the engine's
    /// block limit (see [`Block::continues`]). A piece is not a paragraph:
    /// it is never normalized, and duplicate rules never match it.
    pub fn piece(index: usize, body: impl Into<String>) -> PrevBlock {
        PrevBlock {
            index,
            fingerprint: duplicate_paragraph::fingerprint_of(&[], 0),
            norm: Vec::new(),
            body: body.into(),
            trigrams: Default::default(),
            piece: true,
        }
    }

    /// True for a piece of a long line (see [`PrevBlock::piece`]).
    pub fn is_piece(&self) -> bool {
        self.piece
    }

    /// Length and hash of the normalized body (see
    /// [`duplicate_paragraph::normalize`]).
    pub fn fingerprint(&self) -> &duplicate_paragraph::Fingerprint {
        &self.fingerprint
    }

    /// The normalized body (see [`duplicate_paragraph::normalize`]).
    pub fn normalized(&self) -> &[char] {
        &self.norm
    }

    /// Character 3-grams of the normalized body, computed on first use.
    pub fn trigrams(&self) -> &duplicate_paragraph::Trigrams {
        self.trigrams
            .get_or_init(|| duplicate_paragraph::trigrams(&self.norm))
    }
}

/// The unit rules look at: one line of the input (a paragraph in newspaper
/// text) together with the line ending and blank lines that follow it.
///
/// `text[..body_len]` is the line itself (no line ending); the rest is the
/// separator: `\n` or `\r\n`, then any whitespace-only lines. A document's
/// leading blank lines form a block with an empty body. Rules return spans
/// relative to `text`; edits must stay inside `text`.
///
/// A line longer than the engine's block limit
/// ([`crate::engine::MAX_BLOCK_BYTES`]) comes as several blocks, "pieces",
/// cut after a sentence end where possible: every piece but the last has
/// [`Block::continues`] set and an empty separator, every piece but the
/// first has [`Block::continued`] set. A rule that reasons about whole
/// paragraphs or their ends stays quiet on pieces ([`Block::is_piece`]).
#[derive(Debug, Clone)]
pub struct Block<'a> {
    /// Body plus separator.
    pub text: &'a str,
    /// Length in bytes of the body.
    pub body_len: usize,
    /// Index of this block in its document (0-based).
    pub index: usize,
    /// Up to the last [`crate::engine::LOOKBACK`] blocks before this one, oldest first.
    pub prev: &'a [PrevBlock],
    /// The next block's body, if any (one block of look-ahead).
    pub next: Option<&'a str>,
    /// 0 on the original text; >0 when the engine re-checks text it changed.
    pub pass: usize,
    /// The body starts mid-line: it continues the previous block's line (a
    /// line longer than the block limit, cut into pieces). With an empty
    /// body: the block is the rest of the previous block's blank lines (a
    /// run of them longer than the limit).
    pub continued: bool,
    /// The body ends mid-line: the line goes on in the next block (the
    /// separator is empty).
    pub continues: bool,
    /// The next block is not a whole paragraph: a piece of a line cut by
    /// the engine, or the rest of a run of blank lines ([`Block::next`] is
    /// then that piece's body).
    pub next_is_piece: bool,
    /// The block before this one in the document was the rest of a run of
    /// blank lines (a block with no look-back entry): the last look-back
    /// entry is not this block's neighbour.
    pub after_blank_run: bool,
    /// The body normalized for duplicate detection and its Han char count,
    /// computed once for the rules that need it.
    norm: std::cell::OnceCell<(Vec<char>, usize)>,
    /// Byte ranges of the body's Han runs, computed once.
    runs: std::cell::OnceCell<Vec<(usize, usize)>>,
}

impl<'a> Block<'a> {
    /// A block of `text` whose body is its first `body_len` bytes.
    pub fn new(
        text: &'a str,
        body_len: usize,
        index: usize,
        prev: &'a [PrevBlock],
        next: Option<&'a str>,
        pass: usize,
    ) -> Block<'a> {
        Block {
            text,
            body_len,
            index,
            prev,
            next,
            pass,
            continued: false,
            continues: false,
            next_is_piece: false,
            after_blank_run: false,
            norm: std::cell::OnceCell::new(),
            runs: std::cell::OnceCell::new(),
        }
    }

    /// The same block with its normalized body and Han count (as
    /// [`Block::normalized`] gives them) already computed.
    pub(crate) fn with_normalized(self, norm: (Vec<char>, usize)) -> Block<'a> {
        let _ = self.norm.set(norm);
        self
    }

    /// The normalized body and Han count, if a rule computed them.
    pub fn into_normalized(self) -> Option<(Vec<char>, usize)> {
        self.norm.into_inner()
    }

    /// Byte ranges of the maximal runs of Han chars in the body (see
    /// `doubled::han_runs`), computed on first use.
    pub fn han_runs(&self) -> &[(usize, usize)] {
        self.runs.get_or_init(|| doubled::han_runs(self.body()))
    }

    /// The body normalized as [`duplicate_paragraph::normalize`] does, and
    /// the body's Han char count (computed on first use).
    pub fn normalized(&self) -> (&[char], usize) {
        let (n, h) = self.norm.get_or_init(|| {
            (
                duplicate_paragraph::normalize(self.body()),
                duplicate_paragraph::han_count(self.body()),
            )
        });
        (n, *h)
    }

    /// The line without its line ending.
    pub fn body(&self) -> &'a str {
        &self.text[..self.body_len]
    }

    /// The line ending and following blank lines.
    pub fn separator(&self) -> &'a str {
        &self.text[self.body_len..]
    }

    /// True for a piece of a line cut by the engine (the body is not a
    /// whole paragraph): [`Block::continued`] or [`Block::continues`].
    pub fn is_piece(&self) -> bool {
        self.continued || self.continues
    }

    /// The last previous block's body, if any.
    pub fn prev_body(&self) -> Option<&'a str> {
        self.prev.last().map(|p| p.body.as_str())
    }
}

/// What every rule may consult. Build it with [`Context::new`]; fields may
/// be added.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The lexicon (embedded default plus user words).
    pub lexicon: &'a Lexicon,
    /// The correction model: profile and OCR channel.
    pub model: &'a CorrectionModel,
}

impl<'a> Context<'a> {
    /// A context over `lexicon` with the default correction model.
    pub fn new(lexicon: &'a Lexicon) -> Context<'a> {
        Context::with_model(lexicon, CorrectionModel::embedded())
    }

    /// A context over `lexicon` and `model`.
    pub fn with_model(lexicon: &'a Lexicon, model: &'a CorrectionModel) -> Context<'a> {
        Context { lexicon, model }
    }
}

/// A detector. Implementations are stateless and shared across threads.
pub trait Rule: Send + Sync {
    /// The rule's metadata (code, name, docs, default tier).
    fn meta(&self) -> &'static RuleMeta;

    /// Push findings about `block` into `out`. Spans are relative to
    /// `block.text`. A fix's tier should be at most `meta().default_tier`.
    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>);
}

/// The tier a fix of `meta` gets by default.
pub fn default_tier(meta: &RuleMeta) -> Applicability {
    meta.default_tier
}

/// Every built-in rule, in the order they run.
pub fn builtin_rules() -> Vec<Box<dyn Rule>> {
    // Each family registers its rules here.
    vec![
        Box::new(unicode::Nfc),
        Box::new(unicode::CompatIdeograph),
        Box::new(unicode::FullwidthAlnum),
        Box::new(unicode::OddSpace),
        Box::new(unicode::ZeroWidth),
        Box::new(punct_width::HalfwidthPunctuation),
        Box::new(quotes::QuoteBalance),
        Box::new(quotes::NestedDoubleQuotes),
        Box::new(ocr_punct::OcrFinalStop),
        Box::new(ocr_punct::DroppedFinalStop),
        Box::new(ocr_punct::OcrJunkMark),
        Box::new(inner_mark::InnerMark),
        Box::new(char_subst::CharSubstitution),
        Box::new(char_dropped::DroppedChar),
        Box::new(bound_char::OrphanBoundChar),
        Box::new(in_context::CharInContext),
        Box::new(whitespace::TrailingSpace),
        Box::new(whitespace::SpaceInWord),
        Box::new(whitespace::BlankLines),
        Box::new(mark_space::SpaceBesideMark),
        Box::new(doubled::DoubledWord),
        Box::new(repeated_phrase::RepeatedPhrase),
        Box::new(duplicate_paragraph::DuplicateParagraph),
        Box::new(duplicate_paragraph::NearDuplicateParagraph),
        Box::new(broken_paragraph::BrokenParagraph),
        Box::new(foreign_word::ForeignFunctionWord),
        Box::new(foreign_word::LatinInHan),
    ]
}

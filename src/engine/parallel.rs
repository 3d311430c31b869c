//! One document on several cores.
//!
//! What a block's result depends on is fixed before any rule runs: its own
//! text, the bodies of the blocks before it (the look-back window, built
//! from the *input*, never from what a rule changed), the next block's
//! body and where the block starts in the document. So the engine reads a
//! batch of blocks, works out each block's look-back window, position and
//! neighbours in one cheap sequential pass, runs the rules on the blocks of
//! the batch on all threads of the current rayon pool, and hands the
//! results to the sink in document order. The result is the one a single
//! thread gives, byte for byte, wherever batches are cut: a batch
//! boundary changes nothing any block sees.
//!
//! A long line comes as pieces ([`super::MAX_BLOCK_BYTES`] each, cut after
//! a sentence end), so a single huge line is spread over the threads too.
//!
//! Each result goes to the sink as soon as the blocks before it are done
//! (the calling thread, one of the pool's, works on blocks meanwhile), and
//! a block starts only while the blocks started and not yet reported
//! (itself included) come to at most a block limit
//! ([`super::MAX_BLOCK_BYTES`]) per thread plus one: a piece dense with findings holds them all until it is reported,
//! and a slow report must not let finished pieces pile up.
//!
//! Memory: a batch holds about [`BATCH_BYTES_PER_THREAD`] of input per
//! thread, or [`MIN_BLOCKS_PER_THREAD`] blocks (a block is never split),
//! and the look-back entries of the batch; results, those of the blocks
//! in flight (at most the window above).

use super::{read_block, DocPos, Engine, EngineError, LineReader, Neighbours, RawBlock};
use super::{BlockOutput, LOOKBACK};
use crate::rules::PrevBlock;
use rayon::prelude::*;
use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

/// Input read per thread before a batch is processed: thousands of
/// paragraphs, so that the wait for a batch's slowest block is small beside
/// the batch's work.
pub const BATCH_BYTES_PER_THREAD: usize = 1 << 20;
/// Blocks read per thread, at least, before a batch is processed (by
/// default): pieces of a long line are [`super::MAX_BLOCK_BYTES`] each, and
/// a thread waiting for the last piece of a batch would otherwise idle for
/// much of the batch.
pub const MIN_BLOCKS_PER_THREAD: usize = 2;

/// What a block of a batch sees, worked out before the rules run.
struct Plan {
    /// Index of the block in the document.
    index: usize,
    /// Where the block starts.
    pos: DocPos,
    /// The block before was the rest of a blank run.
    after_blank_run: bool,
    /// The block's look-back window: a range of the batch's arena.
    window: Range<usize>,
}

/// The state carried from one batch to the next.
struct Carry {
    /// The look-back window after the last block processed.
    window: VecDeque<PrevBlock>,
    pos: DocPos,
    index: usize,
    after_blank_run: bool,
}

impl<'l> Engine<'l> {
    /// [`Engine::process_reader`] on the current rayon pool's threads;
    /// `batch_bytes` of input and `min_blocks` blocks are read before the
    /// rules run on them.
    pub(super) fn process_reader_parallel<R: BufRead>(
        &self,
        mut reader: R,
        (batch_bytes, min_blocks): (usize, usize),
        mut sink: impl FnMut(BlockOutput) -> io::Result<()>,
    ) -> Result<(), EngineError> {
        let mut lines = LineReader::new(&mut reader, self.max_block);
        let mut carry = Carry {
            window: VecDeque::with_capacity(LOOKBACK + 1),
            pos: DocPos::default(),
            index: 0,
            after_blank_run: false,
        };
        // blocks started and not yet reported: a block for each thread and
        // one more, in bytes (pieces of a long line are up to the block
        // limit each), or thousands of paragraphs
        let window = self
            .max_block
            .saturating_mul(rayon::current_num_threads() + 1);
        let mut ahead = read_block(&mut lines, true)?;
        while ahead.is_some() {
            let mut batch: Vec<RawBlock> = Vec::new();
            let mut bytes = 0;
            while let Some(b) = ahead.take() {
                bytes += b.text.len();
                batch.push(b);
                ahead = read_block(&mut lines, false)?;
                if bytes >= batch_bytes && batch.len() >= min_blocks {
                    break;
                }
            }
            // The look-back entries of the batch's blocks (normalizing a
            // paragraph is the costly part): on all threads.
            let entries: Vec<Option<PrevBlock>> = batch
                .par_iter()
                .map(|b| (!b.is_piece() && !is_blank_rest(b)).then(|| PrevBlock::new(0, b.body())))
                .collect();
            let (mut arena, plans, after) = plan(&batch, entries, &mut carry);
            let run = |k: usize| {
                let next = batch.get(k + 1).or(ahead.as_ref());
                let p = &plans[k];
                self.process_block(
                    &batch[k],
                    p.index,
                    &arena[p.window.clone()],
                    Neighbours {
                        next: next.map(|n| n.body()),
                        next_is_piece: next.is_some_and(RawBlock::is_piece),
                        after_blank_run: p.after_blank_run,
                    },
                    &p.pos,
                )
                .0
            };
            let sizes: Vec<usize> = batch.iter().map(|b| b.text.len()).collect();
            in_order(&sizes, window, run, &mut sink)?;
            carry.window = arena.drain(after).collect();
        }
        Ok(())
    }
}

/// Run `run(0)`, …, `run(n - 1)` (`n = sizes.len()`) on the current rayon
/// pool's threads and hand each result to `sink` in order as soon as it
/// and the ones before it are done: a finished block waits only for the
/// blocks before it, not for the whole batch. At most `window` bytes of
/// blocks (`sizes`; always the next block to report) are started and not
/// yet reported: a dense piece of a long line holds tens of MB of findings
/// until it is reported, and a slow report (JSON, SARIF) must not let them
/// pile up. The calling thread, when it is one of the pool's, works on the
/// blocks while it waits. After `sink` fails, the remaining results are
/// dropped and its error returned; a panic in `run` is passed on.
pub(super) fn in_order(
    sizes: &[usize],
    window: usize,
    run: impl Fn(usize) -> BlockOutput + Sync,
    sink: &mut impl FnMut(BlockOutput) -> io::Result<()>,
) -> io::Result<()> {
    type Done = (usize, std::thread::Result<BlockOutput>);
    let n = sizes.len();
    let (tx, rx) = mpsc::channel::<Done>();
    let mut result = Ok(());
    let run = &run;
    rayon::in_place_scope_fifo(|s| {
        let mut done: Vec<Option<BlockOutput>> = (0..n).map(|_| None).collect();
        let (mut started, mut next, mut in_flight) = (0, 0, 0);
        while next < n {
            while started < n && (started == next || in_flight + sizes[started] <= window) {
                let (tx, k) = (tx.clone(), started);
                s.spawn_fifo(move |_| {
                    let out = panic::catch_unwind(AssertUnwindSafe(|| run(k)));
                    // (the receiver lives until the scope ends)
                    let _ = tx.send((k, out));
                });
                in_flight += sizes[k];
                started += 1;
            }
            if let Some(out) = done[next].take() {
                in_flight -= sizes[next];
                next += 1;
                if result.is_ok() {
                    result = sink(out);
                }
                continue;
            }
            let got = match rx.try_recv() {
                Ok(got) => got,
                Err(_) => match rayon::yield_now() {
                    // a block (of this batch or other work of the pool) ran
                    Some(rayon::Yield::Executed) => continue,
                    // every block started is running on another thread:
                    // wait for one, looking for work again now and then
                    Some(rayon::Yield::Idle) => match rx.recv_timeout(WAIT) {
                        Ok(got) => got,
                        Err(_) => continue,
                    },
                    // not a thread of the pool
                    None => rx.recv().expect("the sender lives in this scope"),
                },
            };
            match got {
                (k, Ok(out)) => done[k] = Some(out),
                (_, Err(p)) => panic::resume_unwind(p),
            }
        }
    });
    result
}

/// How long the calling thread waits for a block before it looks for work
/// in the pool again.
const WAIT: Duration = Duration::from_millis(1);

/// The rest of a run of blank lines cut at the block limit: a block with
/// no look-back entry.
fn is_blank_rest(b: &RawBlock) -> bool {
    b.continued && b.body_len == 0
}

/// Work out each block's index, position and look-back window, as the
/// sequential loop of [`Engine::process_reader`] would, advancing `carry`
/// past the batch. The windows are ranges of the returned arena: the
/// window carried in, then the batch's entries; when a piece of a long
/// line replaces the piece before it in the window, the rest of the window
/// is copied after it so that every window stays one range. The last range
/// returned is the window after the batch.
fn plan(
    batch: &[RawBlock],
    entries: Vec<Option<PrevBlock>>,
    carry: &mut Carry,
) -> (Vec<PrevBlock>, Vec<Plan>, Range<usize>) {
    let mut arena: Vec<PrevBlock> = carry.window.drain(..).collect();
    let mut win = 0..arena.len();
    let mut plans = Vec::with_capacity(batch.len());
    for (cur, entry) in batch.iter().zip(entries) {
        plans.push(Plan {
            index: carry.index,
            pos: carry.pos.clone(),
            after_blank_run: carry.after_blank_run,
            window: win.clone(),
        });
        carry.pos.advance(&cur.text);
        let blank_run = is_blank_rest(cur);
        carry.after_blank_run = blank_run;
        if blank_run {
            // nothing to look back at
        } else if cur.is_piece() {
            // one look-back entry per long line: its latest piece
            let entry = PrevBlock::piece(carry.index, cur.body());
            if cur.continued && win.end > win.start && arena[win.end - 1].is_piece() {
                // the windows planned so far keep the piece before: the
                // new window is a copy of the rest, then this piece
                let start = arena.len();
                for k in win.start..win.end - 1 {
                    let copy = arena[k].clone();
                    arena.push(copy);
                }
                win = start..arena.len();
            }
            arena.push(entry);
            win.end = arena.len();
        } else {
            let mut entry = entry.expect("a paragraph has its entry");
            entry.index = carry.index;
            arena.push(entry);
            win.end = arena.len();
        }
        if win.len() > LOOKBACK {
            win.start += 1;
        }
        if !cur.continues && !blank_run {
            carry.index += 1;
        }
    }
    (arena, plans, win)
}

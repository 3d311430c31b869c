//! One document on several cores.
//!
//! What a block's result depends on is fixed before any rule runs: its own
//! text, the bodies of the blocks before it (the look-back window, built
//! from the *input*, never from what a rule changed), the next block's
//! body and where the block starts in the document. So the calling thread
//! reads the input a chunk at a time ([`CHUNK_BYTES`] or one block), works
//! out each block's look-back window, position and neighbours in one cheap
//! sequential pass, and starts each block as a task on the current rayon
//! pool; the results go to the sink in document order. The result is the
//! one a single thread gives, byte for byte, wherever chunks are cut: a
//! chunk boundary changes nothing any block sees.
//!
//! There is no barrier between chunks: blocks of the next chunks start
//! while the slow blocks of a chunk are still running, so no thread waits
//! for the slowest block of a batch, and the calling thread reads and plans
//! while the others work. What bounds the work in flight is a window: a
//! block starts only while the blocks started and not yet reported (itself
//! included) come to at most a block limit ([`super::MAX_BLOCK_BYTES`]) per
//! thread plus one (always the next block to report): a piece dense with
//! findings holds them all until it is reported, and a slow report must not
//! let finished pieces pile up.
//!
//! A long line comes as pieces ([`super::MAX_BLOCK_BYTES`] each, cut after
//! a sentence end), so a single huge line is spread over the threads too.
//!
//! Memory: the window of blocks in flight (their text, results and
//! look-back entries), plus the chunk being started; each chunk in flight
//! holds a copy of the look-back window it starts with ([`LOOKBACK`]
//! entries).

use super::{read_block, DocPos, Engine, EngineError, LineReader, Neighbours, RawBlock};
use super::{BlockOutput, LOOKBACK};
use crate::rules::PrevBlock;
use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Input read at a time (at least one block) before the blocks' look-back
/// windows are worked out: small beside the window of blocks in flight, so
/// that the first blocks start at once and the reading is spread over the
/// run.
pub const CHUNK_BYTES: usize = 1 << 16;

/// What a block of a chunk sees, worked out before the rules run.
struct Plan {
    /// Index of the block in the document.
    index: usize,
    /// Where the block starts.
    pos: DocPos,
    /// The block before was the rest of a blank run.
    after_blank_run: bool,
    /// The block's look-back window: a range of the chunk's arena.
    window: Range<usize>,
    /// The block's own look-back entry (a paragraph's): its normalized
    /// body is the one the block's rules need.
    entry: Option<usize>,
}

/// Blocks read together, with what each of them sees; shared by the tasks
/// of its blocks.
struct Chunk {
    blocks: Vec<RawBlock>,
    plans: Vec<Plan>,
    /// The look-back entries the plans' windows are ranges of.
    arena: Vec<PrevBlock>,
    /// The block after the chunk (the last block's neighbour).
    after: Option<RawBlock>,
}

/// A block to run: its chunk and its place in it.
type Job = (Arc<Chunk>, usize);

/// The state carried from one chunk to the next.
struct Carry {
    /// The look-back window after the last block planned.
    window: VecDeque<PrevBlock>,
    pos: DocPos,
    index: usize,
    after_blank_run: bool,
}

impl<'l> Engine<'l> {
    /// [`Engine::process_reader`] on the current rayon pool's threads;
    /// `chunk_bytes` of input (at least one block) are read at a time.
    pub(super) fn process_reader_parallel<R: BufRead>(
        &self,
        mut reader: R,
        chunk_bytes: usize,
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
        let mut ahead: Option<RawBlock> = None;
        let mut at_start = true;
        // the chunk being started and its next block to start
        let mut current: Option<(Arc<Chunk>, usize)> = None;
        let jobs = std::iter::from_fn(|| -> Option<Result<(usize, Job), EngineError>> {
            if let Some((chunk, k)) = current.take() {
                if k < chunk.blocks.len() {
                    let size = chunk.blocks[k].text.len();
                    current = Some((chunk.clone(), k + 1));
                    return Some(Ok((size, (chunk, k))));
                }
            }
            if at_start {
                at_start = false;
                ahead = match read_block(&mut lines, true) {
                    Ok(b) => b,
                    Err(e) => return Some(Err(e)),
                };
            }
            let mut blocks: Vec<RawBlock> = Vec::new();
            let mut bytes = 0;
            while let Some(b) = ahead.take() {
                bytes += b.text.len();
                blocks.push(b);
                ahead = match read_block(&mut lines, false) {
                    Ok(b) => b,
                    Err(e) => return Some(Err(e)),
                };
                if bytes >= chunk_bytes {
                    break;
                }
            }
            if blocks.is_empty() {
                return None;
            }
            let chunk = Arc::new(plan(blocks, ahead.clone(), &mut carry));
            let size = chunk.blocks[0].text.len();
            current = Some((chunk.clone(), 1));
            Some(Ok((size, (chunk, 0))))
        });
        let run = |(chunk, k): Job| {
            let next = chunk.blocks.get(k + 1).or(chunk.after.as_ref());
            let p = &chunk.plans[k];
            self.process_block(
                &chunk.blocks[k],
                p.index,
                &chunk.arena[p.window.clone()],
                Neighbours {
                    next: next.map(|n| n.body()),
                    next_is_piece: next.is_some_and(RawBlock::is_piece),
                    after_blank_run: p.after_blank_run,
                },
                &p.pos,
                p.entry.map(|e| {
                    let e = &chunk.arena[e];
                    (e.normalized().to_vec(), e.fingerprint().han)
                }),
            )
            .0
        };
        in_order(jobs, window, run, &mut sink)
    }
}

/// Run `run` on each job of `jobs` (`(size, job)`, pulled on the calling
/// thread as the window lets them start) on the current rayon pool's
/// threads, and hand each result to `sink` in the jobs' order as soon as it
/// and the ones before it are done: a finished job waits only for the jobs
/// before it. At most `window` bytes of jobs (their sizes; always the next
/// job to report) are started and not yet reported: a dense piece of a long
/// line holds tens of MB of findings until it is reported, and a slow
/// report (JSON, SARIF) must not let them pile up. The calling thread, when
/// it is one of the pool's, works on the jobs while it waits. After `sink`
/// fails or `jobs` gives an error, no job starts; the jobs in flight finish
/// (their results dropped after a sink error, reported after a read error)
/// and the error is returned; a panic in `run` is passed on.
pub(super) fn in_order<J: Send, E: From<io::Error>>(
    jobs: impl Iterator<Item = Result<(usize, J), E>>,
    window: usize,
    run: impl Fn(J) -> BlockOutput + Sync,
    sink: &mut impl FnMut(BlockOutput) -> io::Result<()>,
) -> Result<(), E> {
    type Done = (usize, std::thread::Result<BlockOutput>);
    let (tx, rx) = mpsc::channel::<Done>();
    let mut result = Ok(());
    let mut failed: Option<E> = None;
    let mut jobs = jobs.fuse();
    let run = &run;
    rayon::in_place_scope_fifo(|s| {
        // the results and sizes of the jobs started and not reported, the
        // first being job `next`
        let mut done: VecDeque<(usize, Option<BlockOutput>)> = VecDeque::new();
        let mut pending: Option<(usize, J)> = None;
        let (mut started, mut next, mut in_flight) = (0usize, 0usize, 0usize);
        loop {
            while failed.is_none() && result.is_ok() {
                if pending.is_none() {
                    match jobs.next() {
                        Some(Ok(job)) => pending = Some(job),
                        Some(Err(e)) => failed = Some(e),
                        None => {}
                    }
                }
                let Some((size, _)) = pending else { break };
                if started != next && in_flight + size > window {
                    break;
                }
                let (size, job) = pending.take().expect("a job is pending");
                let (tx, k) = (tx.clone(), started);
                s.spawn_fifo(move |_| {
                    let out = panic::catch_unwind(AssertUnwindSafe(|| run(job)));
                    // (the receiver lives until the scope ends)
                    let _ = tx.send((k, out));
                });
                in_flight += size;
                done.push_back((size, None));
                started += 1;
            }
            if next == started {
                break;
            }
            if let Some(out) = done.front_mut().and_then(|d| d.1.take()) {
                let (size, _) = done.pop_front().expect("the next job is in flight");
                in_flight -= size;
                next += 1;
                if result.is_ok() {
                    result = sink(out);
                }
                continue;
            }
            let got = match rx.try_recv() {
                Ok(got) => got,
                Err(_) => match rayon::yield_now() {
                    // a job (of this document or other work of the pool) ran
                    Some(rayon::Yield::Executed) => continue,
                    // every job started is running on another thread:
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
                (k, Ok(out)) => done[k - next].1 = Some(out),
                (_, Err(p)) => panic::resume_unwind(p),
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => result.map_err(E::from),
    }
}

/// How long the calling thread waits for a job before it looks for work
/// in the pool again.
const WAIT: Duration = Duration::from_millis(1);

/// The rest of a run of blank lines cut at the block limit: a block with
/// no look-back entry.
fn is_blank_rest(b: &RawBlock) -> bool {
    b.continued && b.body_len == 0
}

/// Work out each block's index, position and look-back window, as the
/// sequential loop of [`Engine::process_reader`] would, advancing `carry`
/// past the chunk. The windows are ranges of the chunk's arena: the
/// window carried in, then the chunk's entries; when a piece of a long
/// line replaces the piece before it in the window, the rest of the window
/// is copied after it so that every window stays one range. The window
/// after the chunk is copied into `carry` (the chunk's blocks may still be
/// running when the next chunk is planned).
fn plan(blocks: Vec<RawBlock>, after: Option<RawBlock>, carry: &mut Carry) -> Chunk {
    let mut arena: Vec<PrevBlock> = carry.window.drain(..).collect();
    let mut win = 0..arena.len();
    let mut plans = Vec::with_capacity(blocks.len());
    for cur in &blocks {
        plans.push(Plan {
            index: carry.index,
            pos: carry.pos.clone(),
            after_blank_run: carry.after_blank_run,
            window: win.clone(),
            entry: None,
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
            arena.push(PrevBlock::new(carry.index, cur.body()));
            win.end = arena.len();
            plans.last_mut().expect("planned above").entry = Some(arena.len() - 1);
        }
        if win.len() > LOOKBACK {
            win.start += 1;
        }
        if !cur.continues && !blank_run {
            carry.index += 1;
        }
    }
    carry.window = arena[win].iter().cloned().collect();
    Chunk {
        blocks,
        plans,
        arena,
        after,
    }
}

//! One document on several threads: the same output as on one thread,
//! wherever chunks are cut, and blocks really run at once, across chunks.

use super::long_line_tests::full;
use super::*;
use crate::edit::Edit;
use crate::rules::RuleMeta;
use proptest::prelude::*;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// Paragraphs with errors of most rule families, and two that repeat
/// (duplicate paragraphs need the look-back window).
const PARAS: &[&str] = &[
    "我们今天上午去了公园,天气非常好。",
    "大家一起讨论了工作中的的问题。",
    "会议在３号楼举行，共有十二人参加。",
    "他认真地完成了老师布置的作业,受到了表扬。",
    "发展壮大村级集体经济是一项重要举措，要坚持不懈地抓好落实。",
    "这本书介绍了许多有趣的历史故事！",
    "“你好，”他说。“今天天气不错",
    "张三丰说：这件事情已经办好了",
    "  ",
    "",
];

/// A document from picks of [`PARAS`]: a pick above their count makes a
/// long line of several paragraphs (cut into pieces by a small limit).
fn document(picks: &[usize], crlf: bool) -> String {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut text = String::new();
    for &p in picks {
        if p < PARAS.len() {
            text.push_str(PARAS[p]);
        } else {
            for k in 0..p {
                text.push_str(PARAS[(p + k) % 6]);
            }
        }
        text.push_str(nl);
    }
    text
}

fn one_thread(e: &Engine<'_>, text: &str) -> Outcome {
    pool(1).install(|| e.process_str(text))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn threads_and_batches_change_nothing(
        picks in prop::collection::vec(0usize..24, 1..40),
        crlf in any::<bool>(),
        limit in 40usize..400,
        batch in 1usize..2000,
        threads in 1usize..5,
        review in any::<bool>(),
    ) {
        let text = document(&picks, crlf);
        let apply = Some(if review { Applicability::Review } else { Applicability::Safe });
        let seq = one_thread(&full(apply, limit), &text);
        let par = full(apply, limit).with_batch_bytes(batch);
        let got = pool(threads).install(|| par.process_str(&text));
        prop_assert_eq!(&got.text, &seq.text);
        prop_assert_eq!(&got.findings, &seq.findings);
        // check mode: every finding, none applied
        let seq = one_thread(&full(None, limit), &text);
        let par = full(None, limit).with_batch_bytes(batch);
        let got = pool(threads).install(|| par.process_str(&text));
        prop_assert_eq!(&got.findings, &seq.findings);
    }
}

#[test]
fn long_line_after_many_paragraphs() {
    // a window full of paragraphs, then a line cut into many pieces: each
    // piece replaces the one before in the window
    let mut text = String::new();
    for i in 0..(LOOKBACK + 5) {
        text.push_str(PARAS[i % 8]);
        text.push('\n');
    }
    text.push_str(&document(&[20], false));
    text.push_str(&document(&[0, 1, 1, 4, 4, 23, 4], false));
    let apply = Some(Applicability::Review);
    let seq = one_thread(&full(apply, 100), &text);
    assert!(seq.findings.iter().any(|f| f.rule == "R403"));
    for batch in [1, 50, 333, 4096] {
        let par = full(apply, 100).with_batch_bytes(batch);
        let got = pool(3).install(|| par.process_str(&text));
        assert_eq!(got.text, seq.text, "batch {batch}");
        assert_eq!(got.findings, seq.findings, "batch {batch}");
    }
}

static META: RuleMeta = RuleMeta {
    code: "X003",
    name: "test-rendezvous",
    summary: "waits for another block to be checked at the same time",
    default_tier: Applicability::Safe,
    doc: "",
};

/// Blocks whose body is `meet` wait (up to 20 s) until two of them are
/// being checked at once, and report whether they met.
struct Rendezvous {
    inside: Mutex<usize>,
    cv: Condvar,
}

impl Rule for Rendezvous {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
        if b.body() != "meet" || b.pass > 0 {
            return;
        }
        let mut n = self.inside.lock().unwrap();
        *n += 1;
        self.cv.notify_all();
        let (n, _) = self
            .cv
            .wait_timeout_while(n, Duration::from_secs(20), |n| *n < 2)
            .unwrap();
        if *n >= 2 {
            out.push(
                Finding::new("X003", Span::new(0, 1), "met", Default::default()).with_fix(
                    Fix::single(Applicability::Safe, Edit::replace(Span::new(0, 1), "M")),
                ),
            );
        }
    }
}

/// An engine whose only rule is a fresh [`Rendezvous`].
fn rendezvous_engine() -> Engine<'static> {
    let lex = Box::leak(Box::new(
        Lexicon::from_entries(Vec::<(String, _)>::new()).unwrap(),
    ));
    Engine::with_rules(
        lex,
        vec![Box::new(Rendezvous {
            inside: Mutex::new(0),
            cv: Condvar::new(),
        })],
        Options {
            apply: Some(Applicability::Safe),
            ..Options::default()
        },
    )
}

#[test]
fn blocks_of_one_document_run_at_once() {
    let o = pool(2).install(|| rendezvous_engine().process_str("meet\nmeet\n"));
    assert_eq!(o.text, "Meet\nMeet\n");
}

/// No barrier between chunks: with a chunk a block, a block waiting for one
/// three chunks later gets to meet it.
#[test]
fn blocks_of_later_chunks_start_while_one_is_slow() {
    let e = rendezvous_engine().with_batch_bytes(1);
    let o = pool(2).install(|| e.process_str("meet\na\nb\nc\nmeet\n"));
    assert_eq!(o.text, "Meet\na\nb\nc\nMeet\n");
}

/// The copies of a look-back entry (one in each chunk planned while it is
/// in the window) compute its trigrams once.
#[test]
fn copies_of_a_look_back_entry_share_its_trigrams() {
    let a = PrevBlock::new(0, "大家一起讨论了工作中的问题。");
    let b = a.clone();
    let t = b.trigrams();
    assert!(!t.is_empty());
    assert!(std::ptr::eq(a.trigrams(), t));
}

/// Jobs `0..sizes.len()` of the given sizes, for [`parallel::in_order`].
fn jobs(sizes: &[usize]) -> impl Iterator<Item = io::Result<(usize, usize)>> + '_ {
    sizes.iter().enumerate().map(|(k, &s)| Ok((s, k)))
}

fn output(k: usize) -> BlockOutput {
    BlockOutput {
        original: k.to_string(),
        cleaned: k.to_string(),
        findings: Vec::new(),
        continued: false,
        continues: false,
    }
}

/// Results reach the sink in order while later blocks finish first, and a
/// slow sink keeps at most the window of bytes started and not reported.
#[test]
fn in_order_reports_in_order_within_the_window() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let sizes: Vec<usize> = (0..40).map(|k| [10, 30, 100][k % 3]).collect();
    let window = 150;
    for threads in [1, 2, 4] {
        let started = AtomicUsize::new(0);
        let reported = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let run = |k: usize| {
            let now = started.fetch_add(sizes[k], Ordering::SeqCst) + sizes[k];
            most.fetch_max(now - reported.load(Ordering::SeqCst), Ordering::SeqCst);
            // the later blocks of a batch finish first
            std::thread::sleep(Duration::from_micros(((40 - k) * 50) as u64));
            output(k)
        };
        let mut sink = |o: BlockOutput| {
            let k: usize = o.original.parse().unwrap();
            reported.fetch_add(sizes[k], Ordering::SeqCst);
            seen.push(k);
            std::thread::sleep(Duration::from_micros(300));
            Ok(())
        };
        pool(threads).install(|| parallel::in_order(jobs(&sizes), window, run, &mut sink).unwrap());
        assert_eq!(seen, (0..40).collect::<Vec<_>>(), "{threads} threads");
        let most = most.into_inner();
        // (the next block to report always starts: one block past the window)
        assert!(
            most <= window + 100,
            "{most} bytes in flight, {threads} threads"
        );
        if threads > 1 {
            assert!(most > 100, "blocks ran one at a time: {most} bytes");
        }
    }
}

/// A sink error stops the reports and is returned; a panic in a block is
/// passed on rather than waited for.
#[test]
fn in_order_returns_sink_errors_and_passes_panics_on() {
    let sizes = vec![1; 10];
    let mut n = 0;
    let err = pool(2).install(|| {
        parallel::in_order(jobs(&sizes), 4, output, &mut |_| {
            n += 1;
            if n == 3 {
                Err(io::Error::other("full"))
            } else {
                Ok(())
            }
        })
    });
    assert_eq!(err.unwrap_err().to_string(), "full");
    assert_eq!(n, 3);
    let panicked = std::panic::catch_unwind(|| {
        pool(2).install(|| {
            let run = |k: usize| {
                assert!(k != 5, "block 5 fails");
                output(k)
            };
            parallel::in_order(jobs(&sizes), 4, run, &mut |_| Ok(()))
        })
    });
    assert!(panicked.is_err());
}

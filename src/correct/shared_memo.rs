//! Memos shared by every thread of the process.
//!
//! The correction rules memoize pure functions of a few chars (a char's
//! scored candidates, a position's options given its window): the same
//! windows recur all through a text. A memo per thread made every worker
//! of `-j N` compute them again (`-j 2` cost ~1.2× the CPU of `-j 1` on
//! OCR text); these are filled once for all threads.
//!
//! A [`SharedMemo`] is a hash map cut into [`SHARDS`] shards, each behind
//! its own lock held only for a lookup or an insertion (the value is
//! computed outside it: two threads missing the same key at once both
//! compute it, and the first insertion stays; the values are equal, since
//! a memoized function is pure). A shard is emptied when it holds its
//! share of the capacity, so memory stays bounded whatever the text.
//! Whatever a key's value depends on beyond its chars (the sources'
//! [`super::candidates::Sources::key`], the model) is part of the key.

use super::CharBuild;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::{Mutex, MutexGuard};

/// Shards of a [`SharedMemo`]: far more than the threads of a run, so two
/// threads seldom wait for the same lock.
pub(crate) const SHARDS: usize = 64;

/// A bounded memo shared by all threads (see the module docs).
pub(crate) struct SharedMemo<K, V> {
    shards: Box<[Mutex<HashMap<K, V, CharBuild>>]>,
    per_shard: usize,
}

impl<K: Hash + Eq, V: Clone> SharedMemo<K, V> {
    /// A memo holding at most about `capacity` entries.
    pub(crate) fn new(capacity: usize) -> SharedMemo<K, V> {
        SharedMemo {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            per_shard: capacity.div_ceil(SHARDS).max(1),
        }
    }

    fn shard(&self, key: &K) -> MutexGuard<'_, HashMap<K, V, CharBuild>> {
        // bits the shard's own table uses least (it reads the lowest bits
        // for the bucket and the top seven for the tag)
        let h = CharBuild::default().hash_one(key);
        let s = &self.shards[(h >> 40) as usize % SHARDS];
        // a panic elsewhere leaves a map that is still a valid memo
        s.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `key`, computed by `f` if no thread has stored it.
    pub(crate) fn get_or_insert_with(&self, key: K, f: impl FnOnce() -> V) -> V {
        if let Some(v) = self.shard(&key).get(&key) {
            return v.clone();
        }
        let v = f();
        let mut m = self.shard(&key);
        if m.len() >= self.per_shard {
            m.clear();
        }
        m.entry(key).or_insert(v).clone()
    }

    /// Entries held now (all shards).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn computes_once_and_stays_bounded() {
        let memo: SharedMemo<u32, u64> = SharedMemo::new(256);
        let calls = AtomicUsize::new(0);
        let f = |k: u32| {
            memo.get_or_insert_with(k, || {
                calls.fetch_add(1, Ordering::Relaxed);
                k as u64 * 3
            })
        };
        assert_eq!(f(7), 21);
        assert_eq!(f(7), 21);
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        for k in 0..10_000 {
            assert_eq!(f(k), k as u64 * 3);
        }
        assert!(memo.len() <= 256 + SHARDS, "{}", memo.len());
    }

    #[test]
    fn threads_share_entries_and_agree() {
        let memo: SharedMemo<u32, u64> = SharedMemo::new(1 << 12);
        let calls = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for t in 0..4u32 {
                let (memo, calls) = (&memo, &calls);
                s.spawn(move || {
                    // each thread starts elsewhere: a race on a miss is rare
                    for i in 0..1000u32 {
                        let k = (i + t * 250) % 1000;
                        let v = memo.get_or_insert_with(k, || {
                            calls.fetch_add(1, Ordering::Relaxed);
                            k as u64 + 1
                        });
                        assert_eq!(v, k as u64 + 1);
                    }
                });
            }
        });
        // each key computed once for all four threads (but for a rare race
        // on a miss), not once a thread
        let c = calls.load(Ordering::Relaxed);
        assert!((1000..2000).contains(&c), "{c}");
    }
}

//! Builds the character trie used by the prefix walk (see `trie.rs`). This
//! file has no crate dependencies: build.rs includes it too, to compile the
//! embedded lexicon's trie at build time.
//!
//! Layout: nodes numbered in breadth-first order, so the children of a node
//! are consecutive and sorted by character. One array of 16-byte
//! little-endian records, one per node plus a sentinel: `first_child` (u32;
//! the children of node `n` are `first_child[n]..first_child[n + 1]`),
//! `label` (u32: the char leading to the node; 0 for the root), `value`
//! (u64: the packed lexicon entry, or `u64::MAX` if no word ends there).
//! Keeping a node's fields together makes a walk step touch one or two
//! cache lines.

/// The value of a node where no word ends.
pub const NO_WORD: u64 = u64::MAX;

/// Bytes per node record.
pub const RECORD: usize = 16;

/// Build from (word, packed value) pairs sorted by bytes (= by chars),
/// without duplicates. Empty words are ignored. O(total chars), no
/// per-node allocation.
pub fn build_trie<'a>(words: impl IntoIterator<Item = (&'a str, u64)>) -> Vec<u8> {
    // Nodes in creation order; node 0 is the root.
    let mut label: Vec<u32> = vec![0];
    let mut value: Vec<u64> = vec![NO_WORD];
    let mut parent: Vec<u32> = vec![0];
    let mut last_child: Vec<u32> = vec![0]; // 0 = none (the root is nobody's child)
    for (w, v) in words {
        let mut n = 0usize;
        for c in w.chars() {
            let c = c as u32;
            let last = last_child[n] as usize;
            n = if last != 0 && label[last] == c {
                last
            } else {
                // Sorted input: a new child's label is above its siblings'.
                let k = label.len();
                label.push(c);
                value.push(NO_WORD);
                parent.push(n as u32);
                last_child.push(0);
                last_child[n] = k as u32;
                k
            };
        }
        if n != 0 {
            value[n] = v;
        }
    }
    let count = label.len();
    // Children lists (compressed rows), in creation order = label order.
    let mut start = vec![0u32; count + 1];
    for &p in &parent[1..] {
        start[p as usize + 1] += 1;
    }
    for i in 0..count {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut kids = vec![0u32; count.saturating_sub(1)];
    for (k, &p) in parent.iter().enumerate().skip(1) {
        kids[fill[p as usize] as usize] = k as u32;
        fill[p as usize] += 1;
    }
    // Breadth-first renumbering.
    let mut order: Vec<u32> = Vec::with_capacity(count);
    order.push(0);
    let mut head = 0;
    while head < order.len() {
        let n = order[head] as usize;
        head += 1;
        order.extend_from_slice(&kids[start[n] as usize..start[n + 1] as usize]);
    }
    let mut out = Vec::with_capacity((count + 1) * RECORD);
    let mut next = 1u32;
    for &n in &order {
        let n = n as usize;
        out.extend_from_slice(&next.to_le_bytes());
        next += start[n + 1] - start[n];
        out.extend_from_slice(&label[n].to_le_bytes());
        out.extend_from_slice(&value[n].to_le_bytes());
    }
    // Sentinel: closes the last node's children range.
    out.extend_from_slice(&next.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&NO_WORD.to_le_bytes());
    out
}

/// Nodes with more children than this have their transitions in the fan-out
/// table: one probe (usually one cache line) instead of a binary search over
/// records spread across many cache lines.
pub const FANOUT_HASHED: usize = 12;

/// Bits of a fan-out slot that hold the child node.
pub const FANOUT_CHILD_BITS: u32 = 22;

/// The fan-out key of the transition from node `n` by char `c`.
#[inline]
pub fn fanout_key(n: usize, c: u32) -> u64 {
    (n as u64) << 21 | c as u64
}

/// The first slot probed for `key` in a table of `mask + 1` slots.
#[inline]
pub fn fanout_slot(key: u64, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask
}

/// The fan-out table of the trie `nodes` (records as built by
/// [`build_trie`], the root included): open addressing with linear probing, a power-of-two
/// number of little-endian u64 slots, `key << 22 | child` per transition out
/// of a node with more than [`FANOUT_HASHED`] children, 0 = empty; at most
/// half full. Empty when there is no such node or the trie has 2^21 nodes
/// or more (keys would not fit).
pub fn build_fanout(nodes: &[u8]) -> Vec<u8> {
    let field = |n: usize, off: usize| {
        let b = &nodes[n * RECORD + off..n * RECORD + off + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    };
    let count = (nodes.len() / RECORD).saturating_sub(1);
    if !(2..1 << 21).contains(&count) {
        return Vec::new();
    }
    let children = |n: usize| field(n, 0) as usize..field(n + 1, 0) as usize;
    let hashed = |n: usize| children(n).len() > FANOUT_HASHED;
    let entries: usize = (0..count)
        .filter(|&n| hashed(n))
        .map(|n| children(n).len())
        .sum();
    if entries == 0 {
        return Vec::new();
    }
    let size = (entries * 2).next_power_of_two();
    let mask = size - 1;
    let mut table = vec![0u64; size];
    for n in (0..count).filter(|&n| hashed(n)) {
        for k in children(n) {
            let key = fanout_key(n, field(k, 4));
            let mut i = fanout_slot(key, mask);
            while table[i] != 0 {
                i = (i + 1) & mask;
            }
            table[i] = key << FANOUT_CHILD_BITS | k as u64;
        }
    }
    table.iter().flat_map(|s| s.to_le_bytes()).collect()
}

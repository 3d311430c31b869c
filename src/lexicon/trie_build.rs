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

/// Bits of the edge filter per trie node, rounded up to a power of two.
pub const FILTER_BITS_PER_NODE: usize = 8;

/// Where the edge filter (`mask + 1` little-endian u64 words) keeps the
/// transition out of node `n` by char `c`: a word and two bits in it (one
/// load per test; about 1 in 20 absent transitions passes at 8 bits per
/// node, against 1 in 8 with a single bit).
#[inline]
pub fn edge_filter_key(n: usize, c: u32, mask: usize) -> (usize, u64) {
    let h = ((n as u64) << 21 | c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> 24) as usize & mask;
    (word, 1 << (h >> 52 & 63) | 1 << (h >> 58))
}

/// The edge filter of the trie `nodes` (records as built by [`build_trie`]):
/// a blocked Bloom filter (little-endian u64 words, a power-of-two number of
/// them) with the bits [`edge_filter_key`] of every transition set. A clear
/// bit proves that a node has no child by that char, without searching its
/// children: most steps of a walk end there (two thirds of them on running
/// text). Empty for a trie without words.
pub fn build_edge_filter(nodes: &[u8]) -> Vec<u8> {
    let field = |n: usize, off: usize| {
        let b = &nodes[n * RECORD + off..n * RECORD + off + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    };
    let count = (nodes.len() / RECORD).saturating_sub(1);
    if count < 2 {
        return Vec::new();
    }
    let words = (count * FILTER_BITS_PER_NODE / 64).next_power_of_two();
    let mask = words - 1;
    let mut filter = vec![0u64; words];
    for n in 0..count {
        for k in field(n, 0) as usize..field(n + 1, 0) as usize {
            let (w, bits) = edge_filter_key(n, field(k, 4), mask);
            filter[w] |= bits;
        }
    }
    filter.iter().flat_map(|w| w.to_le_bytes()).collect()
}

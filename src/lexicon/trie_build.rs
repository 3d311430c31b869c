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

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

struct Node {
    label: u32,
    value: u64,
    children: Vec<u32>,
}

/// Build from (word, packed value) pairs sorted by bytes (= by chars),
/// without duplicates. Empty words are ignored.
pub fn build_trie<'a>(words: impl IntoIterator<Item = (&'a str, u64)>) -> Vec<u8> {
    let mut nodes = vec![Node {
        label: 0,
        value: NO_WORD,
        children: Vec::new(),
    }];
    for (w, v) in words {
        let mut n = 0usize;
        for c in w.chars() {
            let c = c as u32;
            let last = nodes[n].children.last().copied();
            n = match last {
                Some(k) if nodes[k as usize].label == c => k as usize,
                _ => {
                    let k = nodes.len();
                    nodes.push(Node {
                        label: c,
                        value: NO_WORD,
                        children: Vec::new(),
                    });
                    nodes[n].children.push(k as u32);
                    k
                }
            };
        }
        if n != 0 {
            nodes[n].value = v;
        }
    }
    // Breadth-first renumbering.
    let mut order: Vec<u32> = Vec::with_capacity(nodes.len());
    order.push(0);
    let mut head = 0;
    while head < order.len() {
        let n = order[head] as usize;
        head += 1;
        order.extend_from_slice(&nodes[n].children);
    }
    let mut out = Vec::with_capacity((order.len() + 1) * RECORD);
    let mut next = 1u32;
    for &n in &order {
        let node = &nodes[n as usize];
        out.extend_from_slice(&next.to_le_bytes());
        next += node.children.len() as u32;
        out.extend_from_slice(&node.label.to_le_bytes());
        out.extend_from_slice(&node.value.to_le_bytes());
    }
    // Sentinel: closes the last node's children range.
    out.extend_from_slice(&next.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&NO_WORD.to_le_bytes());
    out
}

//! The binary form of `dictionaries/glyph_visual.tsv`, written by build.rs
//! (`build/glyph_visual.rs`) and by [`super::VisualSim::parse`], read by
//! [`super::VisualSim`]. No crate dependencies (build.rs shares this file).
//!
//! Layout, little-endian:
//! - `u32` number of chars `n` (at most 65,536), `u32` number of neighbours
//!   in all rows `m`;
//! - `n × u32` the chars (code points), strictly ascending;
//! - `n × u8` each char's number of neighbours;
//! - `m ×` (`u16` index of the neighbour in the char list, `u8` score × 100),
//!   row after row, each row in file order (best first).
//!
//! 8,105 chars with 32 neighbours each: 8 + 32,420 + 8,105 + 777,984 bytes.

/// Compile the text table (`char<TAB>c:0.83 c:0.79 …` lines, `#` comments,
/// chars in ascending order, every neighbour itself a listed char other
/// than the key, scores in `[0, 2.55]`) into the binary layout above.
pub fn encode(text: &str) -> Result<Vec<u8>, String> {
    let mut keys: Vec<char> = Vec::new();
    let mut rows: Vec<Vec<(char, u8)>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, rest) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {at}: no tab"))?;
        let mut kc = key.chars();
        let (Some(k), None) = (kc.next(), kc.next()) else {
            return Err(format!("line {at}: the key must be one char"));
        };
        if keys.last().is_some_and(|&p| p >= k) {
            return Err(format!("line {at}: {k} is not in ascending order"));
        }
        let mut row = Vec::new();
        for item in rest.split(' ').filter(|x| !x.is_empty()) {
            let (c, s) = item
                .split_once(':')
                .ok_or_else(|| format!("line {at}: item {item:?} is not char:score"))?;
            let mut cc = c.chars();
            let (Some(c), None) = (cc.next(), cc.next()) else {
                return Err(format!(
                    "line {at}: item {item:?}: one char before the colon"
                ));
            };
            let s: f32 = s
                .parse()
                .map_err(|_| format!("line {at}: item {item:?}: bad score"))?;
            if !(0.0..=2.55).contains(&s) {
                return Err(format!("line {at}: item {item:?}: score out of range"));
            }
            row.push((c, (s * 100.0).round() as u8));
        }
        if row.len() > usize::from(u8::MAX) {
            return Err(format!("line {at}: more than 255 neighbours"));
        }
        keys.push(k);
        rows.push(row);
    }
    if keys.len() > 1 << 16 {
        return Err("more than 65,536 chars".to_string());
    }
    let m: usize = rows.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(8 + 5 * keys.len() + 3 * m);
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    out.extend_from_slice(&(m as u32).to_le_bytes());
    for &k in &keys {
        out.extend_from_slice(&(k as u32).to_le_bytes());
    }
    out.extend(rows.iter().map(|r| r.len() as u8));
    for (k, row) in keys.iter().zip(&rows) {
        for &(c, s) in row {
            let j = keys
                .binary_search(&c)
                .map_err(|_| format!("{k}: neighbour {c} has no line of its own"))?;
            if c == *k {
                return Err(format!("{k}: listed as its own neighbour"));
            }
            out.extend_from_slice(&(j as u16).to_le_bytes());
            out.push(s);
        }
    }
    Ok(out)
}

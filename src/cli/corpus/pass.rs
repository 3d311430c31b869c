//! The corpus pass after the per-document pass of a run over two or more
//! documents: `X801` variant spellings and `X802` cross-document
//! duplicates, reported per document; `X801` fixes applied to the outputs
//! when the run applies review fixes.
use super::{CorpusRun, CorpusUndo, Doc, BATCH};
use crate::cli::document::{test_barrier, Dest};
use anyhow::Context as _;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use zhclean::corpus::consistency::{self, Consistency, Params};
use zhclean::corpus::manifest::{hash_bytes, Record, Status, TierCounts};
use zhclean::corpus::minhash::{self, DuplicateIndex, ParaRef};
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::finding::Finding;
use zhclean::io::TextEncoding;
use zhclean::report::{DocReport, Reporter, Summary};
use zhclean::span::{LineIndex, Span};

impl CorpusRun {
    /// The corpus pass over every document that went through (or was
    /// resumed): `X801` and `X802` findings, reported per document after
    /// the per-document reports; `X801` fixes are applied to the outputs
    /// when the run applies review fixes. Returns the surest tier of the
    /// findings left pending, if any.
    pub fn corpus_pass(
        &mut self,
        engine: &Engine<'static>,
        pool: &rayon::ThreadPool,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
        summary: &mut Summary,
    ) -> anyhow::Result<Option<Applicability>> {
        let opts = engine.options();
        let enabled =
            |c: &str| !opts.disabled.contains(c) && (opts.only.is_empty() || opts.only.contains(c));
        let (x801, x802) = (enabled(consistency::CODE), enabled(minhash::CODE));
        if self.docs.len() < 2 || !(x801 || x802) {
            return Ok(None);
        }
        let mut cons = Consistency::new(engine.lexicon(), Params::default());
        let mut dups = DuplicateIndex::new();
        // Pass 1: counts and signatures, read in parallel, added in order.
        let mut base = 0u32;
        for chunk in self.docs.chunks(BATCH) {
            let cref = &cons;
            let parts: Vec<_> = pool.install(|| {
                chunk
                    .par_iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let Some(Text { text, .. }) = d.read() else {
                            return (Vec::new(), Vec::new());
                        };
                        let doc = base + i as u32;
                        (
                            if x801 { cref.grams(&text) } else { Vec::new() },
                            if x802 {
                                minhash::document_keys(doc, &text)
                            } else {
                                Vec::new()
                            },
                        )
                    })
                    .collect()
            });
            for (grams, keys) in parts {
                cons.add_grams(grams);
                dups.add(keys);
            }
            base += chunk.len() as u32;
        }
        self.stats.variants = cons.finish().len();
        let pairs = dups.candidates();
        let mut later: BTreeMap<ParaRef, Vec<ParaRef>> = BTreeMap::new();
        // Earlier paragraphs of candidate pairs: their shingles and line,
        // filled when their document is read.
        let mut wanted: BTreeMap<ParaRef, Option<(Vec<u64>, usize)>> = BTreeMap::new();
        for (l, e) in pairs {
            later.entry(l).or_default().push(e);
            wanted.insert(e, None);
        }
        let mut wanted_docs: Vec<u32> = later.keys().map(|p| p.doc).collect();
        wanted_docs.extend(wanted.keys().map(|p| p.doc));
        wanted_docs.sort_unstable();
        wanted_docs.dedup();
        let doc_range = |doc: u32| {
            ParaRef {
                doc,
                start: 0,
                end: 0,
            }..ParaRef {
                doc: doc + 1,
                start: 0,
                end: 0,
            }
        };
        let variants = aho_corasick::AhoCorasick::new(cons.variants().keys()).ok();
        let tier_ceiling = opts
            .downgrade
            .get(consistency::CODE)
            .copied()
            .unwrap_or(Applicability::Review)
            .min(Applicability::Review);
        let apply = opts.apply.is_some_and(|t| tier_ceiling >= t)
            && matches!(self.dest, Dest::OutDir(_) | Dest::InPlace);
        let mut pending: Option<Applicability> = None;

        // Pass 2: findings, in corpus order.
        let docs = std::mem::take(&mut self.docs);
        for (doc_no, d) in docs.iter().enumerate() {
            let doc_no = doc_no as u32;
            let has_dups = wanted_docs.binary_search(&doc_no).is_ok();
            // An output an earlier run's corpus pass rewrote is read (and
            // settled) in any case.
            if !has_dups && cons.variants().is_empty() && d.undo.is_none() {
                continue;
            }
            let Some(read) = d.read() else {
                continue;
            };
            let text = &read.text;
            let has_variant = variants
                .as_ref()
                .is_some_and(|ac| !cons.variants().is_empty() && ac.is_match(text));
            if !has_dups && !has_variant && !read.undone {
                continue;
            }
            let mut findings: Vec<Finding> = Vec::new();
            if has_variant {
                findings.extend(
                    cons.findings(text)
                        .into_iter()
                        .filter(|f| !protected(text, f, opts)),
                );
            }
            if has_dups {
                for (p, slot) in wanted.range_mut(doc_range(doc_no)) {
                    let line = text[..p.start].matches('\n').count() + 1;
                    *slot = Some((minhash::shingles(&text[p.start..p.end]), line));
                }
                let li = LineIndex::new(text);
                for (l, earlier) in later.range(doc_range(doc_no)) {
                    let mine = minhash::shingles(&text[l.start..l.end]);
                    for e in earlier {
                        let Some(Some((theirs, eline))) = wanted.get(e) else {
                            continue;
                        };
                        let j = minhash::jaccard(&mine, theirs);
                        if j >= minhash::MIN_JACCARD {
                            let other = &docs[e.doc as usize].display;
                            findings.push(minhash::finding(
                                text,
                                &li,
                                Span::new(l.start, l.end),
                                other,
                                *eline,
                                j,
                            ));
                            break;
                        }
                    }
                }
            }
            findings.sort_by_key(|f| (f.span.start, f.span.end, f.rule.clone()));
            if apply || read.undone {
                // A file that cannot be rewritten (changed since it was
                // read, read-only, disk full) is an error of that file
                // only: it is left as it is, its X801 fixes stay pending,
                // and the pass goes on with the others.
                if let Err(e) = self.settle_output(d, &read, &mut findings, apply)? {
                    let msg = e.to_string();
                    eprintln!("zhclean: error: {msg}");
                    summary.errors += 1;
                    self.stats.errors += 1;
                    reporter.error(out, &d.display, &msg)?;
                    self.record_corpus_error(d, msg)?;
                }
            }
            if findings.is_empty() {
                continue;
            }
            for f in &findings {
                match self.stats.corpus.get_mut(f.rule.as_ref()) {
                    Some(n) => *n += 1,
                    None => {
                        self.stats.corpus.insert(f.rule.to_string(), 1);
                    }
                }
                // The table's totals are the report's.
                match f.tier() {
                    Applicability::Safe => self.stats.tiers.safe += 1,
                    Applicability::Review => self.stats.tiers.review += 1,
                    Applicability::Suggest => self.stats.tiers.suggest += 1,
                }
                self.stats.tiers.applied += f.applied as usize;
                if !f.applied {
                    pending = pending.max(Some(f.tier()));
                }
            }
            summary.add_findings(&findings);
            let mut lines = BTreeMap::new();
            for f in &findings {
                if let Some(loc) = f.location {
                    if let Some(l) = text.split('\n').nth(loc.line - 1) {
                        lines.insert(loc.line, l.trim_end_matches('\r').to_string());
                    }
                }
            }
            reporter.document(
                out,
                &DocReport {
                    path: &d.display,
                    findings: &findings,
                    lines: &lines,
                },
            )?;
        }
        self.sync()?;
        Ok(pending)
    }

    /// Write an output as the corpus pass leaves it: the text it read with
    /// the `X801` fixes applied (when `apply`), and record the rewrite. An
    /// output that already holds it (an earlier run's corpus pass rewrote
    /// it) is left alone; one an earlier run rewrote gets back the text
    /// that run read if nothing is to be fixed now.
    fn settle_output(
        &mut self,
        d: &Doc,
        read: &Text,
        findings: &mut [Finding],
        apply: bool,
    ) -> anyhow::Result<Result<(), zhclean::io::WriteError>> {
        let idx: Vec<usize> = (0..findings.len())
            .filter(|&i| {
                apply && findings[i].rule == consistency::CODE && findings[i].fix.is_some()
            })
            .collect();
        if idx.is_empty() && !read.undone {
            return Ok(Ok(()));
        }
        let fixes: Vec<_> = idx
            .iter()
            .filter_map(|&i| findings[i].fix.as_ref())
            .collect();
        let applied = zhclean::apply::apply_fixes(&read.text, &fixes);
        let n = applied.applied.iter().filter(|a| **a).count();
        if n == 0 && !read.undone {
            return Ok(Ok(()));
        }
        let mut bytes = read.enc.bom().to_vec();
        bytes.extend_from_slice(&read.enc.encode(&applied.text));
        let rewritten = hash_bytes(&bytes);
        if rewritten == read.hash {
            for (k, &i) in idx.iter().enumerate() {
                findings[i].applied = applied.applied[k];
            }
            return Ok(Ok(()));
        }
        // As in the first pass: a file changed since it was read here is
        // not overwritten.
        let written = zhclean::io::AtomicFile::create(&d.path).and_then(|mut out| {
            std::io::Write::write_all(&mut out, &bytes).map_err(|source| {
                zhclean::io::WriteError::Io {
                    path: d.path.clone(),
                    source,
                }
            })?;
            out.commit_checked(|| {
                test_barrier("ZHCLEAN_TEST_CORPUS_BARRIER");
                if zhclean::corpus::manifest::hash_file(&d.path).as_deref()
                    == Some(read.hash.as_str())
                {
                    Ok(())
                } else {
                    Err(zhclean::io::WriteError::Changed {
                        path: d.path.clone(),
                        what: "content".into(),
                    })
                }
            })
        });
        if let Err(e) = written {
            return Ok(Err(e));
        }
        for (k, &i) in idx.iter().enumerate() {
            findings[i].applied = applied.applied[k];
        }
        self.stats.rewritten += 1;
        // The way back to the text read, before the manifest record that
        // lets the rewritten output be resumed.
        if let Some((fp, fw)) = &mut self.findings_writer {
            let undo = CorpusUndo {
                path: d.key.clone(),
                rewritten: rewritten.clone(),
                read: hash_bytes(read.text.as_bytes()),
                undo: applied
                    .map
                    .regions()
                    .iter()
                    .map(|r| {
                        (
                            r.new.start,
                            r.new.end,
                            read.text[r.orig.start..r.orig.end].to_string(),
                        )
                    })
                    .collect(),
            };
            let mut line = serde_json::to_vec(&undo).context("cannot serialize findings")?;
            line.push(b'\n');
            fw.write_all(&line)
                .with_context(|| format!("cannot write {}", fp.display()))?;
        }
        if let Some(w) = &mut self.writer {
            let mut rules = BTreeMap::new();
            if n > 0 {
                rules.insert(consistency::CODE.to_string(), n);
            }
            let rec = Record {
                path: d.key.clone(),
                status: Status::Corpus,
                input_hash: None,
                output_hash: Some(rewritten),
                settings: self.settings.clone(),
                bytes: 0,
                findings: TierCounts {
                    review: n,
                    applied: n,
                    ..TierCounts::default()
                },
                rules,
                error: None,
                ms: 0,
            };
            w.append(&rec)
                .with_context(|| format!("cannot write manifest {}", w.path().display()))?;
        }
        Ok(Ok(()))
    }

    /// Record that the corpus pass could not rewrite `d`: an error record,
    /// so a resumed run processes the file again.
    fn record_corpus_error(&mut self, d: &Doc, msg: String) -> anyhow::Result<()> {
        if let Some(w) = &mut self.writer {
            let rec = Record {
                path: d.key.clone(),
                status: Status::Error,
                input_hash: None,
                output_hash: None,
                settings: self.settings.clone(),
                bytes: 0,
                findings: TierCounts::default(),
                rules: BTreeMap::new(),
                error: Some(msg),
                ms: 0,
            };
            w.append(&rec)
                .with_context(|| format!("cannot write manifest {}", w.path().display()))?;
        }
        Ok(())
    }
}

/// A document as the corpus pass reads it.
struct Text {
    /// The text: for an output an earlier run's corpus pass rewrote, the
    /// text that pass read (its rewrite undone).
    text: String,
    /// Encoding of the file.
    enc: TextEncoding,
    /// Hash of the bytes on disk.
    hash: String,
    /// The text is an earlier rewrite undone.
    undone: bool,
}

impl Doc {
    /// Read and decode the document; `None` if it cannot be read or
    /// decoded. An undo that does not fit the file is not used.
    fn read(&self) -> Option<Text> {
        let bytes = std::fs::read(&self.path).ok()?;
        let (text, enc) = zhclean::io::decode(&bytes).ok()?;
        let hash = hash_bytes(&bytes);
        let before = self
            .undo
            .as_ref()
            .filter(|u| u.rewritten == hash)
            .and_then(|u| u.apply(&text));
        Some(Text {
            undone: before.is_some(),
            text: before.unwrap_or(text),
            enc,
            hash,
        })
    }
}

/// True if an allow-list term or an `ignore_re` match overlaps the
/// finding (within its line), as the engine does for block rules.
fn protected(text: &str, f: &Finding, opts: &Options) -> bool {
    let line_start = text[..f.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[f.span.end..]
        .find('\n')
        .map_or(text.len(), |i| f.span.end + i);
    let line = &text[line_start..line_end];
    let (a, b) = (f.span.start - line_start, f.span.end - line_start);
    let hits = |s: usize, e: usize| s < b && a < e;
    opts.allow.iter().filter(|t| !t.is_empty()).any(|t| {
        line.match_indices(t.as_str())
            .any(|(i, m)| hits(i, i + m.len()))
    }) || opts
        .ignore_re
        .iter()
        .any(|re| re.find_iter(line).any(|m| hits(m.start(), m.end())))
}

//! Corpus runs end to end: 1,000 generated documents processed with `-j 1`
//! and `-j 2` (identical outputs and manifests), a run killed part-way and
//! resumed (nothing lost, nothing done twice), and the corpus pass (`X801`
//! variants applied with `--apply review`, `X802` duplicates reported).

use assert_cmd::Command;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use zhclean::corpus::consistency::{Consistency, Params};
use zhclean::corpus::manifest::{Manifest, Record, Status, FILE_NAME};
use zhclean::correct::confusion::ConfusionSet;
use zhclean::lexicon::Lexicon;

const DOCS: usize = 1000;

/// Clean sentences the documents are made of.
const SENTENCES: &[&str] = &[
    "春天来了，田野里的油菜花开得正好。",
    "这座城市的地铁线路正在不断延伸。",
    "老师把作业本整整齐齐地放在讲台上。",
    "研究人员花了三年时间整理这批资料。",
    "傍晚的河边总有许多散步的居民。",
    "图书馆新添了一批关于农业技术的书籍。",
    "他每天早上六点起床，先跑步再吃早饭。",
    "这项工程预计在明年秋天全部完工。",
    "展览吸引了来自各地的参观者。",
    "孩子们在操场上练习接力赛跑。",
    "工厂去年的产量比前年增加了一成。",
    "山区的公路修好以后，运输方便多了。",
    "会议讨论了下一阶段的工作安排。",
    "她把旧照片一张一张地贴进相册。",
    "市场上的蔬菜品种越来越丰富。",
    "这个村子的茶叶远近闻名。",
];

/// A deterministic pseudo-random generator (64-bit LCG).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One document: paragraphs of clean sentences, some with a half-width
/// comma between Han chars or a doubled char injected.
fn document(rng: &mut Rng, n: usize) -> String {
    let mut text = format!("第{n}号文档\n\n");
    for _ in 0..(1 + rng.below(4)) {
        let mut para = String::new();
        for _ in 0..(2 + rng.below(3)) {
            let mut s: String = SENTENCES[rng.below(SENTENCES.len())].to_string();
            if s.contains('，') {
                para.push_str(&s);
                continue;
            }
            let chars: Vec<char> = s.chars().collect();
            // An interior position between two Han chars.
            let i = 1 + rng.below(chars.len() - 4);
            match rng.below(4) {
                0 | 1 => {
                    let mut t: String = chars[..=i].iter().collect();
                    t.push(',');
                    t.extend(&chars[i + 1..]);
                    s = t;
                }
                2 => {
                    let mut t: String = chars[..=i].iter().collect();
                    t.push(chars[i]);
                    t.extend(&chars[i + 1..]);
                    s = t;
                }
                _ => {}
            }
            para.push_str(&s);
        }
        text.push_str(&para);
        text.push_str(if rng.below(4) == 0 {
            "\r\n\r\n"
        } else {
            "\n\n"
        });
    }
    text
}

fn corpus(root: &Path) {
    let mut rng = Rng(20_240_917);
    for n in 0..DOCS {
        let dir = root.join(format!("part{:02}", n / 100));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join(format!("doc{n:04}.txt")), document(&mut rng, n)).unwrap();
    }
}

fn zh(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir).env_remove("NO_COLOR");
    c
}

/// Every file under `root` (relative path → bytes), the manifest excluded.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if !p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".zhclean-manifest")
            {
                // Not the manifest (FILE_NAME) nor its findings.
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn manifest_lines(path: &Path) -> Vec<Record> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn corpus_runs_are_deterministic_and_resume() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    corpus(&root.join("in"));
    let run = |out: &str, j: &str| {
        zh(root)
            .args(["fix", "--no-config", "in", "--out", out, "-j", j])
            .assert()
            .get_output()
            .clone()
    };
    let a = run("A", "1");
    assert!(matches!(a.status.code(), Some(0 | 1)), "{a:?}");
    let b = run("B", "2");
    assert!(matches!(b.status.code(), Some(0 | 1)));
    let (ta, tb) = (tree(&root.join("A")), tree(&root.join("B")));
    assert_eq!(ta.len(), DOCS);
    assert!(ta == tb, "outputs differ between -j 1 and -j 2");
    // The safe fixes were applied: no half-width comma between Han chars
    // is left.
    assert!(ta.values().all(|t| !t.contains(&b',')));
    let changed = ta
        .iter()
        .filter(|(k, v)| fs::read(root.join("in").join(k)).unwrap() != **v)
        .count();
    assert!(changed > DOCS / 2, "only {changed} documents changed");
    let ma: Vec<Record> = manifest_lines(&root.join("A").join(FILE_NAME))
        .iter()
        .map(Record::without_timing)
        .collect();
    let mb: Vec<Record> = manifest_lines(&root.join("B").join(FILE_NAME))
        .iter()
        .map(Record::without_timing)
        .collect();
    assert_eq!(ma.len(), DOCS);
    assert!(ma == mb, "manifests differ between -j 1 and -j 2");
    let summary = String::from_utf8_lossy(&a.stderr);
    assert!(summary.contains("corpus run summary"), "{summary}");
    assert!(
        summary.contains(&format!("files         {DOCS}")),
        "{summary}"
    );

    // A run killed part-way, then resumed.
    let manifest = root.join("C").join(FILE_NAME);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhclean"))
        .current_dir(root)
        .args(["fix", "--no-config", "in", "--out", "C", "-j", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    loop {
        let n = fs::read_to_string(&manifest)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if n >= 100 || t0.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let first: Vec<Record> = manifest_lines(&manifest);
    assert!(
        first.len() >= 100 && first.len() < DOCS,
        "the run was not interrupted part-way: {} records",
        first.len()
    );
    let c = run("C", "2");
    assert!(matches!(c.status.code(), Some(0 | 1)));
    let summary = String::from_utf8_lossy(&c.stderr);
    assert!(
        summary.contains(&format!("resumed {}", first.len())),
        "{summary}"
    );
    let all = manifest_lines(&manifest);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in &all {
        assert!(
            matches!(r.status, Status::Done | Status::Unchanged),
            "{r:?}"
        );
        *seen.entry(r.path.as_str()).or_default() += 1;
    }
    assert_eq!(seen.len(), DOCS, "a file is missing from the manifest");
    let twice: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
    assert!(
        twice.is_empty(),
        "processed twice: {twice:?} (first run: {} records)",
        first.len()
    );
    assert!(tree(&root.join("C")) == ta, "resumed outputs differ");
    let resumed: Vec<Record> = all.iter().map(Record::without_timing).collect();
    let mut sorted_a = ma.clone();
    sorted_a.sort_by(|x, y| x.path.cmp(&y.path));
    let mut sorted_c = resumed;
    sorted_c.sort_by(|x, y| x.path.cmp(&y.path));
    assert!(sorted_a == sorted_c, "resumed manifest differs");
}

#[test]
fn changed_settings_or_inputs_are_not_resumed() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    fs::create_dir_all(root.join("in")).unwrap();
    fs::write(root.join("in/a.txt"), "甲乙,丙丁\n").unwrap();
    fs::write(root.join("in/b.txt"), "戊己,庚辛\n").unwrap();
    let fix = |extra: &[&str]| {
        let o = zh(root)
            .args(["fix", "--no-config", "in", "--out", "out"])
            .args(extra)
            .assert()
            .get_output()
            .clone();
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    assert!(fix(&[]).contains("resumed 0"));
    assert!(fix(&[]).contains("resumed 2"));
    // --no-resume processes everything and starts the manifest anew.
    assert!(fix(&["--no-resume"]).contains("resumed 0"));
    assert_eq!(manifest_lines(&root.join("out").join(FILE_NAME)).len(), 2);
    // Other settings: nothing is resumed.
    assert!(fix(&["--disable", "W301"]).contains("resumed 0"));
    // A changed input, and a deleted output, are processed again.
    fs::write(root.join("in/a.txt"), "甲乙,丙丁戊\n").unwrap();
    assert!(fix(&["--disable", "W301"]).contains("resumed 1"));
    fs::remove_file(root.join("out/b.txt")).unwrap();
    assert!(fix(&["--disable", "W301"]).contains("resumed 1"));
    assert_eq!(
        fs::read_to_string(root.join("out/b.txt")).unwrap(),
        "戊己，庚辛\n"
    );
    // The manifest read back keeps the last record of each path.
    let m = Manifest::read(&root.join("out").join(FILE_NAME)).unwrap();
    assert_eq!(m.records.len(), 2);
    assert_eq!(m.bad_lines, 0);
}

#[test]
fn write_in_place_keeps_a_manifest_beside_the_inputs() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    fs::create_dir_all(root.join("in")).unwrap();
    fs::write(root.join("in/a.txt"), "甲乙,丙丁\n").unwrap();
    fs::write(root.join("in/b.txt"), "戊己庚辛\n").unwrap();
    let write = || {
        let o = zh(root)
            .args(["fix", "--no-config", "in", "--write"])
            .assert()
            .get_output()
            .clone();
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    assert!(write().contains("done 1 · unchanged 1 · resumed 0"));
    assert_eq!(
        fs::read_to_string(root.join("in/a.txt")).unwrap(),
        "甲乙，丙丁\n"
    );
    assert!(root.join("in").join(FILE_NAME).exists());
    assert!(write().contains("resumed 2"));
}

/// Two name-like n-grams that differ in one look-alike char, found from
/// the embedded data (a surname of the lexicon, a confusion-set pair).
fn variant_pair() -> (String, String) {
    let lex = Lexicon::embedded();
    let c = Consistency::new(lex, Params::default());
    let set = ConfusionSet::embedded();
    for s in ['林', '周', '陈', '吴', '郑', '孙', '胡'] {
        for base in ['森', '栋', '榕', '楠', '璋', '瑜', '琪', '琳'] {
            for (alike, score) in set.similar(base).iter() {
                if score < 0.5 || alike == s {
                    continue;
                }
                let good = format!("{s}{base}文");
                let bad = format!("{s}{alike}文");
                // Name-like in the very contexts the test writes.
                let ok = |g: &str, ctx: &str| c.grams(ctx).iter().any(|x| x == g);
                if ok(&good, &format!("本报记者{good}报道。"))
                    && ok(&bad, &format!("记者{bad}摄。"))
                {
                    return (good, bad);
                }
            }
        }
    }
    panic!("no name-like look-alike pair in the embedded data");
}

#[test]
fn corpus_pass_finds_and_applies_variants_and_reports_duplicates() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let (good, bad) = variant_pair();
    fs::create_dir_all(root.join("in")).unwrap();
    let shared = "图书馆新添了一批关于农业技术的书籍，欢迎读者前来借阅。";
    for (i, s) in SENTENCES.iter().take(5).enumerate() {
        fs::write(
            root.join(format!("in/d{i}.txt")),
            format!("本报记者{good}报道。\n{s}\n"),
        )
        .unwrap();
    }
    fs::write(root.join("in/d5.txt"), format!("{shared}\n记者{bad}摄。\n")).unwrap();
    fs::write(root.join("in/d6.txt"), format!("前言\n{shared}\n")).unwrap();
    // check reports both, changes nothing.
    let o = zh(root)
        .args(["check", "--no-config", "in", "--format", "jsonl"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let out = String::from_utf8_lossy(&o.stdout);
    let x801: Vec<&str> = out.lines().filter(|l| l.contains("\"X801\"")).collect();
    assert_eq!(x801.len(), 1, "{out}");
    assert!(
        x801[0].contains("d5.txt") && x801[0].contains(&good),
        "{}",
        x801[0]
    );
    let x802: Vec<&str> = out.lines().filter(|l| l.contains("\"X802\"")).collect();
    assert_eq!(x802.len(), 1, "{out}");
    assert!(x802[0].contains("d6.txt") && x802[0].contains("d5.txt:1"));
    // An allow-listed spelling is left alone, as by every rule.
    let o = zh(root)
        .args(["check", "--no-config", "in", "--format", "jsonl"])
        .args(["--allow-term", &bad])
        .assert()
        .get_output()
        .clone();
    assert!(!String::from_utf8_lossy(&o.stdout).contains("\"X801\""));
    // fix --apply review rewrites the variant in the output, records it.
    let fix_review = || {
        let mut c = zh(root);
        c.args([
            "fix",
            "--no-config",
            "in",
            "--out",
            "out",
            "--apply",
            "review",
        ]);
        c
    };
    fix_review().assert().code(1);
    let d5 = fs::read_to_string(root.join("out/d5.txt")).unwrap();
    assert!(d5.contains(&format!("记者{good}摄")), "{d5}");
    assert_eq!(
        fs::read_to_string(root.join("in/d5.txt")).unwrap(),
        format!("{shared}\n记者{bad}摄。\n")
    );
    let recs = manifest_lines(&root.join("out").join(FILE_NAME));
    assert!(recs
        .iter()
        .any(|r| r.status == Status::Corpus && r.path == "d5.txt"));
    // Resuming accepts the rewritten output; nothing is left to rewrite,
    // and the variant is reported as the first run reported it.
    let again = fix_review().assert().get_output().clone();
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("resumed 7"), "{err}");
    assert!(
        err.contains("X801 1 · X802 1 · 0 file(s) rewritten"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(root.join("out/d5.txt")).unwrap(), d5);
    // Disabled, the corpus pass is silent.
    let o = zh(root)
        .args(["check", "--no-config", "in", "--format", "jsonl"])
        .args(["--disable", "X801,X802"])
        .assert()
        .get_output()
        .clone();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("\"X80"), "{out}");
}

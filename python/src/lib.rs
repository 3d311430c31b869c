//! `zhclean._zhclean`: the native part of the `zhclean` Python package.
//!
//! A thin layer over the Rust library: settings go through
//! [`zhclean::api`] (the command line's own path), text through
//! [`Engine::process_str`], findings out through
//! [`finding_json`] (the record mode's own objects), so a text is cleaned
//! exactly as `zhclean fix --input-format jsonl` cleans it with the same
//! settings. The Python-facing API and its documentation are in
//! `zhclean/__init__.py` and `zhclean/_zhclean.pyi`.
//!
//! Threads: `fix`/`check` release the GIL while the engine runs;
//! `fix_batch`/`check_batch` also spread the texts over a rayon pool (the
//! `Cleaner`'s own when it was given `threads`, else rayon's global one).
//! A panic inside the engine becomes `zhclean.InternalError`, never a
//! crash of the interpreter.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use pyo3::IntoPyObjectExt;
use rayon::prelude::*;
use serde_json::Value;
use std::error::Error as StdError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::OnceLock;
use zhclean::api::{self, SetupError};
use zhclean::config::{Config, ConfigError};
use zhclean::correct::Profile;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options, Outcome};
use zhclean::finding::Finding as RsFinding;
use zhclean::lexicon::user::UserDataError;
use zhclean::lexicon::Lexicon;
use zhclean::report::jsonl::finding_json;

// ---------------------------------------------------------------- errors

/// The exception classes, defined in `zhclean/_errors.py` (they inherit
/// from both `ZhcleanError` and a built-in class such as `ValueError`).
fn raise(py: Python<'_>, class: &'static str, msg: String) -> PyErr {
    static CLASSES: [PyOnceLock<Py<PyType>>; 5] = [
        PyOnceLock::new(),
        PyOnceLock::new(),
        PyOnceLock::new(),
        PyOnceLock::new(),
        PyOnceLock::new(),
    ];
    let names = [
        "ConfigError",
        "DataFileError",
        "FileError",
        "InputError",
        "InternalError",
    ];
    let i = names
        .iter()
        .position(|n| *n == class)
        .expect("a known class");
    match CLASSES[i].import(py, "zhclean._errors", class) {
        Ok(ty) => PyErr::from_type(ty.clone(), msg),
        Err(e) => e,
    }
}

/// An error and its causes, as the command line prints them
/// (`zhclean: error: {e:#}`).
fn chain(e: &dyn StdError) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn setup_err(py: Python<'_>, e: SetupError) -> PyErr {
    let class = match &e {
        SetupError::Config(ConfigError::Io { .. })
        | SetupError::UserData(UserDataError::Io { .. })
        | SetupError::ChannelRead { .. } => "FileError",
        SetupError::UserData(_) | SetupError::Channel { .. } => "DataFileError",
        _ => "ConfigError",
    };
    raise(py, class, chain(&e))
}

fn config_err(py: Python<'_>, e: ConfigError) -> PyErr {
    setup_err(py, SetupError::Config(e))
}

/// The engine's work on one text; a panic comes back as `Err` (mapped to
/// `InternalError` by the callers).
fn process(engine: &Engine<'_>, text: &str) -> std::thread::Result<Outcome> {
    catch_unwind(AssertUnwindSafe(|| {
        // Test builds only (`--features test-hooks`, scripts/python-test.sh):
        // a text equal to this marker panics inside the engine's call, so
        // the tests can show that a panic raises `InternalError`.
        #[cfg(feature = "test-hooks")]
        if text == TEST_PANIC_MARKER {
            panic!("test hook: a panic inside the engine");
        }
        engine.process_str(text)
    }))
}

/// The text that panics in a `test-hooks` build.
#[cfg(feature = "test-hooks")]
const TEST_PANIC_MARKER: &str = "\u{0}zhclean-test-hook: panic\u{0}";

fn internal(py: Python<'_>) -> PyErr {
    raise(
        py,
        "InternalError",
        "internal error: processing this text panicked; please report it".into(),
    )
}

/// The text of a `str` argument: `TypeError` for anything else,
/// `InputError` for a string that is not valid Unicode (a lone surrogate:
/// it has no UTF-8 form, the command line's `invalid UTF-8`).
fn text_arg(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let s = obj.cast::<PyString>().map_err(|_| {
        let ty = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        PyTypeError::new_err(format!("{what} must be str, not {ty}"))
    })?;
    match s.to_cow() {
        Ok(c) => Ok(c.into_owned()),
        Err(e) => {
            let at = e
                .value(py)
                .getattr("start")
                .and_then(|v| v.extract::<usize>())
                .map(|n| format!(" at char {n}"))
                .unwrap_or_default();
            Err(raise(
                py,
                "InputError",
                format!("{what} is not valid Unicode: lone surrogate{at} (it has no UTF-8 form)"),
            ))
        }
    }
}

// ---------------------------------------------------------------- values

/// A JSON value as the Python object `json.loads` would give.
fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                i.into_bound_py_any(py)?
            } else if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

// ---------------------------------------------------------------- Finding

/// One finding (see `zhclean/_zhclean.pyi`).
#[pyclass(frozen, module = "zhclean", name = "Finding")]
struct Finding {
    f: RsFinding,
}

impl Finding {
    fn json(&self) -> Value {
        finding_json(None, &self.f)
    }
    fn loc(&self) -> zhclean::span::Location {
        self.f.location.unwrap_or(zhclean::span::Location {
            byte_start: self.f.span.start,
            byte_end: self.f.span.end,
            char_start: 0,
            char_end: 0,
            line: 0,
            column: 0,
        })
    }
}

#[pymethods]
impl Finding {
    #[getter]
    fn rule(&self) -> &str {
        &self.f.rule
    }
    #[getter]
    fn name(&self) -> Option<&'static str> {
        zhclean::rules::lookup(&self.f.rule).map(|m| m.name)
    }
    #[getter]
    fn tier(&self) -> &'static str {
        self.f.tier().as_str()
    }
    #[getter]
    fn applied(&self) -> bool {
        self.f.applied
    }
    #[getter]
    fn message(&self) -> &str {
        &self.f.message
    }
    #[getter]
    fn original(&self) -> &str {
        &self.f.original
    }
    /// `(start, end)` in chars: Python string indices.
    #[getter]
    fn span(&self) -> (usize, usize) {
        let l = self.loc();
        (l.char_start, l.char_end)
    }
    /// `(start, end)` in UTF-8 bytes.
    #[getter]
    fn byte_span(&self) -> (usize, usize) {
        let l = self.loc();
        (l.byte_start, l.byte_end)
    }
    #[getter]
    fn line(&self) -> usize {
        self.loc().line
    }
    #[getter]
    fn column(&self) -> usize {
        self.loc().column
    }
    #[getter]
    fn score(&self) -> f64 {
        self.f.evidence.score
    }
    #[getter]
    fn reason(&self) -> &str {
        &self.f.evidence.reason
    }
    #[getter]
    fn candidates(&self) -> Vec<(String, f64)> {
        self.f
            .evidence
            .candidates
            .iter()
            .map(|c| (c.text.clone(), c.score))
            .collect()
    }
    #[getter]
    fn evidence<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.json()["evidence"])
    }
    #[getter]
    fn fix<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.json()["fix"])
    }
    /// The record mode's JSON object for this finding, as `json.loads`
    /// gives it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.json())
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Finding>().is_ok_and(|o| o.get().f == self.f)
    }
    fn __repr__(&self) -> String {
        let (s, e) = self.span();
        format!(
            "Finding(rule={:?}, tier={:?}, span=({s}, {e}), original={:?}, applied={})",
            self.f.rule,
            self.tier(),
            self.f.original,
            if self.f.applied { "True" } else { "False" }
        )
    }
}

// ---------------------------------------------------------------- Result

/// The cleaned text and every finding (see `zhclean/_zhclean.pyi`).
#[pyclass(frozen, module = "zhclean", name = "Result")]
struct FixResult {
    out: Outcome,
}

fn findings_list<'py>(py: Python<'py>, fs: &[RsFinding]) -> PyResult<Bound<'py, PyList>> {
    let l = PyList::empty(py);
    for f in fs {
        l.append(Py::new(py, Finding { f: f.clone() })?)?;
    }
    Ok(l)
}

#[pymethods]
impl FixResult {
    #[getter]
    fn text(&self) -> &str {
        &self.out.text
    }
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        findings_list(py, &self.out.findings)
    }
    /// True if a fix was applied.
    #[getter]
    fn changed(&self) -> bool {
        self.out.changed()
    }
    /// `{"text": ..., "findings": [...]}`: a record-mode output object
    /// without its `id`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("text", &self.out.text)?;
        let l = PyList::empty(py);
        for f in &self.out.findings {
            l.append(to_py(py, &finding_json(None, f))?)?;
        }
        d.set_item("findings", l)?;
        Ok(d)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<FixResult>().is_ok_and(|o| {
            let o = &o.get().out;
            o.text == self.out.text && o.findings == self.out.findings
        })
    }
    fn __repr__(&self) -> String {
        let mut t: String = self.out.text.chars().take(40).collect();
        if t.len() < self.out.text.len() {
            t.push('…');
        }
        format!(
            "Result(text={t:?}, findings=<{} findings>)",
            self.out.findings.len()
        )
    }
}

// ---------------------------------------------------------------- Cleaner

/// The engines of one `Cleaner`: one that applies (`fix`), and one that
/// only reports (`check`), built on first use.
struct Engines<'l> {
    fix: Engine<'l>,
    check: OnceLock<Engine<'l>>,
}

self_cell::self_cell!(
    /// The user lexicon (if any) and the engines that borrow it.
    struct Owned {
        owner: Option<Lexicon>,
        #[not_covariant]
        dependent: Engines,
    }
);

/// Words given as `str` or `(str, int)`.
#[derive(FromPyObject)]
enum WordArg {
    Word(String),
    WithFreq(String, u64),
}

/// Holds the engine for a set of settings; create one per worker and
/// reuse it (see `zhclean/_zhclean.pyi`).
#[pyclass(frozen, weakref, module = "zhclean", name = "Cleaner")]
struct Cleaner {
    owned: Owned,
    opts: Options,
    config: Config,
    pool: Option<rayon::ThreadPool>,
}

enum Mode {
    Fix,
    Check,
}

impl Cleaner {
    /// Run `f` with the engine of `mode`.
    fn with_engine<R>(&self, mode: Mode, f: impl FnOnce(&Engine<'_>) -> R) -> R {
        self.owned.with_dependent(|lex, e| match mode {
            Mode::Fix => f(&e.fix),
            Mode::Check => f(e.check.get_or_init(|| {
                let lex = lex.as_ref().unwrap_or(Lexicon::embedded());
                let opts = Options {
                    apply: None,
                    ..self.opts.clone()
                };
                Engine::new(lex, opts)
            })),
        })
    }

    fn run_one(&self, py: Python<'_>, text: &Bound<'_, PyAny>, mode: Mode) -> PyResult<Outcome> {
        let text = text_arg(py, text, "text")?;
        self.with_engine(mode, |engine| py.detach(|| process(engine, &text)))
            .map_err(|_| internal(py))
    }

    fn run_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        mode: Mode,
    ) -> PyResult<Vec<Outcome>> {
        if texts.is_instance_of::<PyString>() {
            // A str is an iterable of one-char strs: surely a mistake.
            return Err(PyTypeError::new_err(
                "texts must be an iterable of str, not a str (use fix for one text)",
            ));
        }
        let mut owned = Vec::new();
        for (i, t) in texts.try_iter()?.enumerate() {
            owned.push(text_arg(py, &t?, &format!("texts[{i}]"))?);
        }
        let outs = self.with_engine(mode, |engine| {
            let run = || -> Vec<Option<Outcome>> {
                owned.par_iter().map(|t| process(engine, t).ok()).collect()
            };
            py.detach(|| match &self.pool {
                Some(p) => p.install(run),
                None => run(),
            })
        });
        outs.into_iter()
            .enumerate()
            .map(|(i, o)| {
                o.ok_or_else(|| {
                    raise(
                        py,
                        "InternalError",
                        format!("internal error: processing texts[{i}] panicked; please report it"),
                    )
                })
            })
            .collect()
    }
}

fn parse_apply(py: Python<'_>, s: Option<&str>) -> PyResult<Option<Applicability>> {
    s.map(|s| match s {
        "safe" => Ok(Applicability::Safe),
        "review" => Ok(Applicability::Review),
        _ => Err(raise(
            py,
            "ConfigError",
            format!("arguments: apply must be \"safe\" or \"review\", not {s:?}"),
        )),
    })
    .transpose()
}

fn parse_profile(py: Python<'_>, s: Option<&str>) -> PyResult<Option<Profile>> {
    s.map(|s| {
        s.parse::<Profile>()
            .map_err(|m| raise(py, "ConfigError", format!("arguments: profile: {m}")))
    })
    .transpose()
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (config_path=None, *, apply=None, profile=None, allow=None, words=None, select=None, ignore=None, threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        config_path: Option<PathBuf>,
        apply: Option<&str>,
        profile: Option<&str>,
        allow: Option<Vec<String>>,
        words: Option<Vec<WordArg>>,
        select: Option<Vec<String>>,
        ignore: Option<Vec<String>>,
        threads: Option<usize>,
    ) -> PyResult<Cleaner> {
        let flags = Config {
            apply: parse_apply(py, apply)?,
            profile: parse_profile(py, profile)?,
            allow: allow.unwrap_or_default(),
            rules: zhclean::config::RulesConfig {
                only: select.unwrap_or_default(),
                disable: ignore.unwrap_or_default(),
                ..Default::default()
            },
            ..Config::default()
        };
        let config = api::resolve(config_path.as_deref(), flags).map_err(|e| config_err(py, e))?;
        let words: Vec<(String, Option<u64>)> = words
            .unwrap_or_default()
            .into_iter()
            .map(|w| match w {
                WordArg::Word(w) => (w, None),
                WordArg::WithFreq(w, f) => (w, Some(f)),
            })
            .collect();
        let built = py.detach(|| -> Result<_, SetupError> {
            let extra = api::user_words(&words)?;
            let lexicon = api::user_lexicon(&config, extra)?;
            let opts = api::engine_options(&config, config.apply)?;
            Ok((lexicon, opts))
        });
        let (lexicon, opts) = built.map_err(|e| setup_err(py, e))?;
        let pool = match threads {
            None => None,
            Some(0) => {
                return Err(raise(
                    py,
                    "ConfigError",
                    "arguments: threads must be at least 1".into(),
                ))
            }
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| raise(py, "InternalError", e.to_string()))?,
            ),
        };
        let o = opts.clone();
        let owned = py.detach(|| {
            Owned::new(lexicon, |lex| Engines {
                fix: Engine::new(lex.as_ref().unwrap_or(Lexicon::embedded()), o),
                check: OnceLock::new(),
            })
        });
        Ok(Cleaner {
            owned,
            opts,
            config,
            pool,
        })
    }

    /// Clean one text: the fixes of the chosen tier applied.
    fn fix(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<FixResult> {
        Ok(FixResult {
            out: self.run_one(py, text, Mode::Fix)?,
        })
    }

    /// Report the findings of one text, changing nothing.
    fn check<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let out = self.run_one(py, text, Mode::Check)?;
        findings_list(py, &out.findings)
    }

    /// Clean many texts in parallel; results in input order.
    fn fix_batch(&self, py: Python<'_>, texts: &Bound<'_, PyAny>) -> PyResult<Vec<FixResult>> {
        Ok(self
            .run_batch(py, texts, Mode::Fix)?
            .into_iter()
            .map(|out| FixResult { out })
            .collect())
    }

    /// `check` over many texts in parallel; one list per text, in order.
    fn check_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Vec<Bound<'py, PyList>>> {
        self.run_batch(py, texts, Mode::Check)?
            .iter()
            .map(|o| findings_list(py, &o.findings))
            .collect()
    }

    #[getter]
    fn apply(&self) -> &'static str {
        self.config.apply.unwrap_or(Applicability::Safe).as_str()
    }

    #[getter]
    fn profile(&self) -> &'static str {
        self.config.profile.unwrap_or_default().name()
    }

    #[getter]
    fn threads(&self) -> Option<usize> {
        self.pool.as_ref().map(|p| p.current_num_threads())
    }

    /// The effective settings as TOML (what `zhclean config --dump`
    /// prints).
    fn config_toml(&self) -> String {
        self.config.to_toml()
    }

    fn __repr__(&self) -> String {
        format!(
            "Cleaner(apply={:?}, profile={:?})",
            self.apply(),
            self.profile()
        )
    }
}

/// The rule codes, names and default tiers: `[(code, name, tier)]`.
#[pyfunction]
fn rules() -> Vec<(&'static str, &'static str, &'static str)> {
    zhclean::rules::all_rules()
        .iter()
        .map(|m| (m.code, m.name, m.default_tier.as_str()))
        .collect()
}

#[pymodule]
fn _zhclean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cleaner>()?;
    m.add_class::<FixResult>()?;
    m.add_class::<Finding>()?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    #[cfg(feature = "test-hooks")]
    m.add("_TEST_PANIC_MARKER", TEST_PANIC_MARKER)?;
    Ok(())
}

"""Type stubs and reference of the native module ``zhclean._zhclean`` (re-exported by ``zhclean``)."""

import os
from typing import Iterable, Literal, Optional, Sequence, Tuple, TypedDict, Union

Tier = Literal["safe", "review", "suggest"]

class Candidate(TypedDict):
    text: str
    score: float

class Evidence(TypedDict, total=False):
    score: float  # always present: confidence in [0, 1]
    reason: str  # always present
    terms: dict[str, float]  # named numeric terms (lm_gain, channel_logp, ...), when any
    candidates: list[Candidate]  # ranked alternatives, best first, when any

class EditSpan(TypedDict):
    start: int
    end: int

class Edit(TypedDict):
    span: EditSpan  # UTF-8 byte offsets in the original text
    replacement: str

class Fix(TypedDict):
    applicability: Tier
    edits: list[Edit]

class Finding:
    """One thing a rule reports. Offsets are in the text given to ``fix``/``check`` (the original, not the
    cleaned text). Immutable; equal when every field is."""

    @property
    def rule(self) -> str:
        """Stable rule code, e.g. ``"P201"`` (``zhclean explain CODE``)."""
    @property
    def name(self) -> Optional[str]:
        """Rule name, e.g. ``"halfwidth-punctuation"``."""
    @property
    def tier(self) -> Tier:
        """The fix's tier; ``"suggest"`` when the finding has no fix."""
    @property
    def applied(self) -> bool:
        """Whether the fix was applied in this run."""
    @property
    def message(self) -> str: ...
    @property
    def original(self) -> str:
        """The original text under the span."""
    @property
    def span(self) -> Tuple[int, int]:
        """``(start, end)`` in chars (code points): ``text[start:end] == original``."""
    @property
    def byte_span(self) -> Tuple[int, int]:
        """``(start, end)`` in UTF-8 bytes: ``text.encode()[start:end] == original.encode()``."""
    @property
    def line(self) -> int:
        """1-based line."""
    @property
    def column(self) -> int:
        """1-based column, in chars."""
    @property
    def score(self) -> float:
        """Confidence in [0, 1] (``evidence["score"]``)."""
    @property
    def reason(self) -> str:
        """The decisive facts, for people (``evidence["reason"]``)."""
    @property
    def candidates(self) -> list[Tuple[str, float]]:
        """Ranked alternatives ``(text, score)``, best first; may be empty."""
    @property
    def evidence(self) -> Evidence: ...
    @property
    def fix(self) -> Optional[Fix]:
        """The fix (``None`` when the rule proposes none), edits in byte offsets."""
    def to_dict(self) -> dict[str, object]:
        """The record mode's JSON object for this finding (keys ``rule, name, tier, applied, span
        {byte_start, byte_end, char_start, char_end}, line, column, message, original, evidence, fix``),
        exactly as ``json.loads`` gives it from ``zhclean fix --input-format jsonl``. Plain data: fit for
        ``datasets.map``, pandas, Arrow, ``json.dumps``."""
    def __eq__(self, other: object) -> bool: ...

class Result:
    """The outcome of ``fix``: the cleaned text and every finding, applied or not. Immutable."""

    @property
    def text(self) -> str:
        """The cleaned text."""
    @property
    def findings(self) -> list[Finding]:
        """Every finding, in text order (a new list on each access)."""
    @property
    def changed(self) -> bool:
        """True if a fix was applied."""
    def to_dict(self) -> dict[str, object]:
        """``{"text": ..., "findings": [finding.to_dict(), ...]}``: a record-mode output object without
        its ``id``."""
    def __eq__(self, other: object) -> bool: ...

class Cleaner:
    """Holds the engine (lexicon, rules, settings) for one set of settings. Build one per worker process
    and reuse it: construction reads the files once (tens of milliseconds); cleaning does not read any.
    Thread-safe: one ``Cleaner`` may be shared by threads, and every method releases the GIL while it
    works.

    ``config_path``: a ``zhclean.toml`` (none: built-in defaults; no file is searched for). The keyword
    arguments win over it, as flags win over the file on the command line:

    - ``apply``: ``"safe"`` (default) or ``"review"``, the tiers ``fix`` applies (``--apply``);
    - ``profile``: ``"ocr"`` (default) or ``"typing"`` (``--profile``);
    - ``allow``: terms never changed (``--allow-term``; added to the file's);
    - ``words``: extra words for the lexicon, ``"词"`` or ``("词", frequency)`` (like a word list file);
    - ``select``/``ignore``: rule codes, names or prefixes to run only / to leave out (``--select``,
      ``--ignore``);
    - ``threads``: the size of this cleaner's own thread pool for the batch methods (default: rayon's
      global pool, one thread per core; use ``threads=1`` when the framework runs one process per core).

    Raises :class:`zhclean.ConfigError`, :class:`zhclean.DataFileError`, :class:`zhclean.FileError`.
    """

    def __init__(
        self,
        config_path: Union[str, os.PathLike[str], None] = None,
        *,
        apply: Optional[Literal["safe", "review"]] = None,
        profile: Optional[Literal["ocr", "typing"]] = None,
        allow: Optional[Sequence[str]] = None,
        words: Optional[Sequence[Union[str, Tuple[str, int]]]] = None,
        select: Optional[Sequence[str]] = None,
        ignore: Optional[Sequence[str]] = None,
        threads: Optional[int] = None,
    ) -> None: ...
    def fix(self, text: str) -> Result:
        """Clean one text. ``TypeError`` if it is not a ``str``; :class:`zhclean.InputError` if it holds
        a lone surrogate; :class:`zhclean.InternalError` if the engine fails."""
    def check(self, text: str) -> list[Finding]:
        """The findings of one text, changing nothing (``applied`` is always False)."""
    def fix_batch(self, texts: Iterable[str]) -> list[Result]:
        """Clean many texts in parallel (GIL released), results in input order, each equal to
        ``fix(text)``. Every text is checked before any is cleaned; errors name the index
        (``texts[3] must be str, not int``). A single ``str`` is refused with ``TypeError``."""
    def check_batch(self, texts: Iterable[str]) -> list[list[Finding]]:
        """``check`` over many texts in parallel, in input order."""
    @property
    def apply(self) -> Literal["safe", "review"]: ...
    @property
    def profile(self) -> Literal["ocr", "typing"]: ...
    @property
    def threads(self) -> Optional[int]:
        """The size of the cleaner's own pool, or ``None`` for rayon's global pool."""
    def config_toml(self) -> str:
        """The effective settings as TOML (as ``zhclean config --dump`` prints them)."""

def rules() -> list[Tuple[str, str, Tier]]:
    """Every rule: ``(code, name, default tier)``."""

__version__: str

"""zhclean: OCR-error cleanup and text normalization for Chinese text.

The Rust library is the one implementation: a text is cleaned exactly as ``zhclean fix --input-format
jsonl`` cleans a record with the same settings (``--no-config``, plus ``--config FILE`` when ``config`` is
given)::

    import zhclean

    r = zhclean.fix("推动集体经济经济创收,成效明显。", apply="review")
    r.text                          # '推动集体经济创收，成效明显。'
    [f.rule for f in r.findings]    # ['R401', 'P201']
    r.findings[0].to_dict()         # the record mode's JSON object, as json.loads gives it

For many texts, build a :class:`Cleaner` once per worker and call :meth:`Cleaner.fix_batch`: it releases the
GIL and cleans the texts in parallel. The module-level :func:`fix` and :func:`check` keep one cleaner per
set of arguments (a configuration file is read the first time it is named).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from ._errors import (
    ConfigError,
    DataFileError,
    FileError,
    InputError,
    InternalError,
    ZhcleanError,
)
from ._zhclean import Cleaner, Finding, Result, __version__, rules

__all__ = [
    "fix",
    "check",
    "rules",
    "Cleaner",
    "Result",
    "Finding",
    "ZhcleanError",
    "ConfigError",
    "DataFileError",
    "FileError",
    "InputError",
    "InternalError",
    "__version__",
]

if TYPE_CHECKING:  # `typing` costs import time; annotations are strings here
    from typing import Literal, Optional, Union

    Apply = Literal["safe", "review"]
    ProfileName = Literal["ocr", "typing"]
    PathLike = Union[str, os.PathLike[str]]

# One Cleaner per (apply, profile, config file) for the module-level functions.
_CLEANERS: dict = {}
_LOCK = threading.Lock()


def _cleaner(apply: Optional[Apply], profile: Optional[ProfileName], config: Optional[str]) -> Cleaner:
    key = (apply, profile, config)
    c = _CLEANERS.get(key)
    if c is None:
        with _LOCK:
            c = _CLEANERS.get(key)
            if c is None:
                c = Cleaner(config, apply=apply, profile=profile)
                _CLEANERS[key] = c
    return c


def _key(config: Optional[PathLike]) -> Optional[str]:
    return None if config is None else os.path.abspath(os.fspath(config))


def fix(
    text: str,
    apply: Optional[Apply] = None,
    profile: Optional[ProfileName] = None,
    config: Optional[PathLike] = None,
) -> Result:
    """Clean ``text``: apply the fixes of tier ``apply`` (``"safe"``, the default, or ``"review"``) and
    return the cleaned text with every finding, applied or not.

    ``profile`` chooses the errors the correction looks for: ``"ocr"`` (default) or ``"typing"``.
    ``config`` names a ``zhclean.toml``; ``apply`` and ``profile`` given here win over it. Without one,
    the built-in defaults are used (no file is searched for).

    Raises ``TypeError`` (``text`` is not a ``str``), :class:`InputError` (a lone surrogate),
    :class:`ConfigError`, :class:`DataFileError`, :class:`FileError` (settings).
    """
    return _cleaner(apply, profile, _key(config)).fix(text)


def check(
    text: str,
    profile: Optional[ProfileName] = None,
    config: Optional[PathLike] = None,
) -> list[Finding]:
    """The findings of ``text``, applying nothing (``zhclean check``); every finding has
    ``applied == False``. Arguments and errors as for :func:`fix`."""
    return _cleaner(None, profile, _key(config)).check(text)

"""The exceptions of zhclean; each maps an error of the command line (which exits 2 on all of them).

Every one derives from :class:`ZhcleanError` and from the built-in class a caller would catch anyway
(``ValueError``, ``OSError``, ``RuntimeError``). A non-``str`` text raises the built-in ``TypeError``.
"""

from __future__ import annotations

__all__ = [
    "ZhcleanError",
    "ConfigError",
    "DataFileError",
    "FileError",
    "InputError",
    "InternalError",
]


class ZhcleanError(Exception):
    """Base class of every error zhclean raises."""


class ConfigError(ZhcleanError, ValueError):
    """Invalid settings: an unknown key or a bad value in the configuration file (the message names the file
    and the key), or a bad keyword argument (``apply="suggest"``, an unknown rule in ``select``, an
    ``ignore_re`` that does not compile, ``threads=0``); the message then starts with ``arguments:``.
    CLI: ``zhclean: error: zhclean.toml: unknown field ...``."""


class DataFileError(ZhcleanError, ValueError):
    """A user data file named by the configuration (word list, allow-list, corrections, OCR channel) has a
    malformed line; the message names the file and the line. CLI: ``zhclean: error: words.txt:3: ...``."""


class FileError(ZhcleanError, OSError):
    """The configuration file or a data file it names could not be read.
    CLI: ``zhclean: error: cannot read zhclean.toml: No such file or directory``."""


class InputError(ZhcleanError, ValueError):
    """A text that is not valid Unicode: a ``str`` holding a lone surrogate (``"\\ud800"``, what
    ``errors="surrogateescape"`` makes of undecodable bytes) has no UTF-8 form. The message gives the char
    index. CLI: ``PATH: invalid UTF-8 at byte N``."""


class InternalError(ZhcleanError, RuntimeError):
    """The engine failed on this text (a bug: please report it with the text). The interpreter and the
    ``Cleaner`` stay usable. CLI (record mode): an error object for that record."""


for _c in (ZhcleanError, ConfigError, DataFileError, FileError, InputError, InternalError):
    _c.__module__ = "zhclean"
del _c

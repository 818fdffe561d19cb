"""Logging for every process (web, worker, command line): one format, nothing private.

The sources keep secrets and personal data out of what they log (URLs are logged
masked, SQL errors without their parameters, the `log` SMS backend without the
number's middle or the text). Under them, every log record is redacted as it is made,
whoever makes it (our code, gunicorn's access log, RQ, werkzeug): passwords in URLs,
`token=`-like parameters, bearer credentials, and runs of eight digits or more (a phone
or an AMU number), or a phone written in pairs ("+228 90 00 00 12"), keep only their
last two digits. `AMU_LOG_PERSONAL_DATA=1`
(development only) leaves numbers readable. PostgreSQL's error details, which repeat the
refused row, are cut.
"""
from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^@\s/]+@")
_SECRET_PARAMETER = re.compile(
    r"(?P<head>\b(?:token|auth_token|access_token|api_key|apikey|password|secret)=)[^&\s\"']+", re.IGNORECASE
)
_CREDENTIALS = re.compile(r"(?P<head>\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]+")
# PostgreSQL's error details repeat the row or key refused: "Failing row contains (...)".
_ROW_DETAIL = re.compile(r"(?P<head>DETAIL:\s+(?:Failing row contains|Key \([^)]*\)=)).*")
_LONG_NUMBER = re.compile(r"(?<!\d)(?P<country>\+?228)?(?P<digits>\d{6,})(?P<last>\d\d)(?!\d)")
# The same number as people and providers write it: "+228 90 00 00 12", "90-00-00-12".
_SPACED_PHONE = re.compile(
    r"(?<![\d+])(?P<country>(?:\+|00)?228[ -]?)?(?P<digits>\d\d(?P<sep>[ -])\d\d(?P=sep)\d\d(?P=sep))(?P<last>\d\d)(?!\d)"
)

_state = {"show_numbers": False, "installed": False}


def masked_url(url: str) -> str:
    """`url` with its password and secret parameters replaced by ***."""
    url = _URL_PASSWORD.sub(r"\g<head>:***@", url)
    return _SECRET_PARAMETER.sub(r"\g<head>***", url)


def masked_number(match: re.Match) -> str:
    hidden = "".join("*" if character.isdigit() else character for character in match["digits"])
    return (match["country"] or "") + hidden + match["last"]


def redact(text: str, show_numbers: bool = False) -> str:
    text = _CREDENTIALS.sub(r"\g<head>***", masked_url(text))
    text = _ROW_DETAIL.sub(r"\g<head> (values hidden)", text)
    if show_numbers:
        return text
    return _LONG_NUMBER.sub(masked_number, _SPACED_PHONE.sub(masked_number, text))


def redact_as_logged(text: str) -> str:
    """`text` as a log record of this process would carry it (for what is kept elsewhere)."""
    return redact(text, _state["show_numbers"])


def configure_logging(settings) -> None:
    """The level and format from the settings, and the redaction of every record."""
    logging.basicConfig(level=settings.log_level, format=FORMAT)
    _state["show_numbers"] = settings.log_personal_data
    if not _state["installed"]:
        logging.setLogRecordFactory(_redacting(logging.getLogRecordFactory()))
        _state["installed"] = True


def _redacting(make_record):
    formatter = logging.Formatter()

    def make(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        show = _state["show_numbers"]
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: logging reports it itself
            return record
        clean = redact(message, show)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(formatter.formatException(record.exc_info), show)
        return record

    return make

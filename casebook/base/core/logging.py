"""Log records as one JSON object per line on stdout, for production log collectors."""

import json
import logging
import time
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None:
            # Method and path only: no query string, cookies or form data in the logs.
            entry["method"] = getattr(request, "method", None)
            entry["path"] = getattr(request, "path", None)
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in ("request", "status_code") and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class QuietDisallowedHost(logging.Filter):
    """A request for a host the site does not serve is noise from scanners, not an error: logged as a
    warning without the traceback, at most once per interval per process."""

    def __init__(self, interval_seconds: float = 60.0):
        super().__init__()
        self.interval = interval_seconds
        self.last = float("-inf")

    def filter(self, record):
        now = time.monotonic()
        if now - self.last < self.interval:
            return False
        self.last = now
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True

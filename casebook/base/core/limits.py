"""The one rate limit and the one "mail or refuse" of the public forms (alert sign-ups, 「事例を投稿」):
what is counted, what is refused, and how a view tells the visitor, in Japanese."""

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction

logger = logging.getLogger(__name__)

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class TooMany(Exception):
    """A limit was reached; the message says so in Japanese."""


class MailNotSent(Exception):
    """The mail server refused the message: nothing is lost, the visitor can ask again."""


@dataclass(frozen=True)
class Limit:
    """At most `count` rows with `field` = `value` in the last `window`."""

    field: str
    value: str
    count: int
    window: datetime.timedelta
    message: str


def check_limits(attempts, time_field: str, limits: Iterable[Limit], now) -> None:
    """Raise TooMany with the message of the first limit that `attempts` (a queryset of earlier tries,
    each stamped in `time_field`) has reached."""
    for limit in limits:
        recent = attempts.filter(**{limit.field: limit.value, f"{time_field}__gt": now - limit.window})
        if recent.count() >= limit.count:
            raise TooMany(limit.message)


def count_and_add(attempts, time_field: str, limits: Iterable[Limit], now, add: Callable[[], object]):
    """`add()` the new attempt unless a limit is reached, counting and adding under one lock per limited
    key, so that simultaneous requests cannot all count the same few rows and all go in (12 parallel
    submissions once stored 4 for one address with a limit of 3). On PostgreSQL a transaction-scoped
    advisory lock per key; on SQLite the transaction takes the database's write lock as it begins
    (settings: transaction_mode IMMEDIATE)."""
    limits = list(limits)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            label = attempts.model._meta.label
            keys = sorted({lock_key(f"{label}:{limit.field}:{limit.value}") for limit in limits})
            with connection.cursor() as cursor:
                for key in keys:  # in one order everywhere, so two requests never wait on each other in a circle
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        check_limits(attempts, time_field, limits, now)
        return add()


def lock_key(text: str) -> int:
    """A signed 64-bit number for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def send_or_refuse(send: Callable[[], object], message: str, what: str) -> None:
    """Send a mail; a refusal is logged (as `what`) and becomes MailNotSent with `message`."""
    try:
        send()
    except Exception as error:
        logger.exception("%s not sent", what)
        raise MailNotSent(message) from error


def answer_refusal(form, action: Callable[[], object]) -> int | None:
    """Run `action`; a limit reached or a mail refused becomes the form's error and the status to answer
    with (429, 503). None when it went through."""
    try:
        action()
    except TooMany as refused:
        form.add_error(None, str(refused))
        return 429
    except MailNotSent as failed:
        form.add_error(None, str(failed))
        return 503
    return None

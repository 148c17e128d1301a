"""The one rate limit and the one "mail or refuse" of the public forms (alert sign-ups, 「事例を投稿」):
what is counted, what is refused, and how a view tells the visitor, in Japanese."""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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

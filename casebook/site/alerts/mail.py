"""The alerts' messages, in Japanese, with links on the site's public base URL (CASEBOOK_BASE_URL).
Every message carries the link that stops its alert, in the text and as List-Unsubscribe (RFC 8058:
a mail program's one-click button posts to it)."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from casebook.base.core.links import page_public_url, public_url
from casebook.site.home.context_processors import section_urls

SUBJECT_PREFIX = "【Casebook 自治体DX事例ライブラリ】"


def list_url(alert) -> str:
    """The case list with the alert's filters: the cases a digest announces are its newest."""
    path = section_urls().get("cases", "/cases/")
    return public_url(path + (f"?{alert.filters}" if alert.filters else ""))


def links(alert) -> dict[str, str]:
    return {
        "confirm_url": public_url(reverse("alerts:confirm", args=[alert.token])),
        "unsubscribe_url": public_url(reverse("alerts:unsubscribe", args=[alert.token])),
        "manage_url": public_url(reverse("alerts:manage", args=[alert.subscriber.token])),
        "list_url": list_url(alert),
    }


def message(alert, subject: str, template: str, **context) -> EmailMessage:
    urls = links(alert)
    body = render_to_string(template, {"alert": alert, **urls, **context})
    return EmailMessage(
        subject=SUBJECT_PREFIX + subject,
        body=body,
        to=[alert.subscriber.email],
        headers={
            "List-Unsubscribe": f"<{urls['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def confirmation(alert) -> EmailMessage:
    return message(alert, "メール通知の登録の確認", "alerts/email/confirm.txt")


def already_subscribed(alert) -> EmailMessage:
    return message(alert, "この条件のメール通知は登録済みです", "alerts/email/already.txt")


def digest(alert, cases, more: int) -> EmailMessage:
    """`cases` in publication order; `more` how many further new cases the list shows."""
    count = len(cases) + more
    items = [
        {
            "case": case,
            "url": page_public_url(case),
            "measures": "・".join(measure.title for measure in case.all_measures()),
        }
        for case in cases
    ]
    return message(
        alert, f"新着事例{count}件: {alert.description}", "alerts/email/digest.txt", items=items, count=count, more=more
    )

"""E-mail alerts for a saved search: sign up from the list's filters, confirm by a link (double opt-in),
a daily or weekly digest of the new cases the list shows for the same filters, never twice, and one
click to stop. Nobody learns from the site whether an address is subscribed."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from casebook.site.alerts.models import Alert, Delivery, SignupAttempt, Subscriber
from cases.models import CasePage

from .factories import make_case

pytestmark = pytest.mark.django_db

FILTERS = "measure=telework&region=chugoku"


def sign_up(client, email="taro@example.lg.jp", filters=FILTERS, frequency="weekly", **extra):
    return client.post("/alerts/", {"email": email, "frequency": frequency, "filters": filters}, **extra)


def link(message, kind: str) -> str:
    """The path of the message's `kind` link (confirm, unsubscribe, manage), checked to be on the public URL."""
    url = re.search(rf"(https?://\S+/alerts/{kind}/[\w-]+/)", message.body).group(1)
    assert url.startswith("https://casebook.example.jp/")
    return url.removeprefix("https://casebook.example.jp")


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.CASEBOOK_BASE_URL = "https://casebook.example.jp"


@pytest.fixture
def confirmed(client, catalog):
    """An alert for telework in 中国, confirmed after the catalog's cases were published."""
    sign_up(client)
    client.post(link(mail.outbox[-1], "confirm"))
    mail.outbox.clear()
    return Alert.objects.get()


def make_due(alert):
    Alert.objects.filter(pk=alert.pk).update(checked_at=timezone.now() - datetime.timedelta(days=8))


def new_telework_case_in_chugoku(catalog):
    """A case the alert's filters (telework in 中国) match: 井原市, 岡山県."""
    ibara = catalog.cases.workation.partner_organizations.first()
    return make_case(catalog.index, title="井原市のテレワーク", lead=ibara, primary=catalog.measures["telework"])


def digests():
    return [m for m in mail.outbox if "新着事例" in m.subject and "件:" in m.subject]


def test_the_list_and_a_measure_page_offer_an_alert_for_their_filters(client, catalog):
    html = client.get(f"/cases/?{FILTERS}&sort=cost").content.decode()
    assert f'href="/alerts/?{FILTERS.replace("&", "&amp;")}&amp;sort=cost">この条件の新着をメールで受け取る' in html
    page = client.get(f"/alerts/?{FILTERS}&sort=cost")
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    text = page.content.decode()
    assert "「テレワークの推進 × 中国の事例」に新しい事例が掲載されたら" in text
    assert f'name="filters" value="{FILTERS.replace("&", "&amp;")}"' in text  # the order is not part of an alert
    assert "通知を停止するまでの間だけ保存" in text
    measure = client.get(catalog.measures["telework"].url).content.decode()
    assert 'href="/alerts/?measure=telework">この取組の新着事例をメールで受け取る' in measure


def test_signing_up_sends_a_confirmation_and_nothing_before_it_is_confirmed(client, catalog):
    response = sign_up(client, email="ＴＡＲＯ＠example.lg.jp")
    assert response.status_code == 303 and response["Location"] == "/alerts/sent/"
    [message] = mail.outbox
    assert message.to == ["taro@example.lg.jp"]
    assert "テレワークの推進 × 中国の事例" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"] == f"<https://casebook.example.jp{link(message, 'unsubscribe')}>"
    alert = Alert.objects.get()
    assert not alert.confirmed
    # Unconfirmed: a new matching case is not announced, however late it is.
    new_telework_case_in_chugoku(catalog)
    make_due(alert)
    mail.outbox.clear()
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert mail.outbox == []


def test_the_confirmation_link_asks_before_it_confirms(client, catalog):
    sign_up(client)
    confirm = link(mail.outbox[-1], "confirm")
    page = client.get(confirm)  # a mail scanner opening the link confirms nothing
    assert "登録を確定する" in page.content.decode()
    assert not Alert.objects.get().confirmed
    done = client.post(confirm)
    assert "登録しました" in done.content.decode()
    assert Alert.objects.get().confirmed


def test_a_digest_holds_the_new_cases_the_list_shows_for_the_same_filters(client, catalog, confirmed):
    m, fuchu = catalog.measures, catalog.cases.workation.lead_organization
    ibara = catalog.cases.workation.partner_organizations.first()
    tokyo = catalog.cases.tokyo_fuchu.lead_organization
    make_case(catalog.index, title="井原市のテレワーク", lead=ibara, primary=m["telework"])
    make_case(
        catalog.index, title="東京の府中市と井原市のテレワーク", lead=tokyo, primary=m["telework"], partners=[ibara]
    )
    make_case(catalog.index, title="東京の府中市のテレワーク", lead=tokyo, primary=m["telework"])
    login_only = make_case(catalog.index, title="ログインが必要な事例", lead=fuchu, primary=m["telework"])
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    make_case(catalog.index, title="非公開に戻した事例", lead=fuchu, primary=m["telework"]).unpublish()
    make_due(confirmed)

    call_command("send_alerts", stdout=open("/dev/null", "w"))

    [digest] = digests()
    announced = set(re.findall(r"^■ (.+)$", digest.body, re.M))
    listed = {
        case.title
        for case in client.get(f"/cases/?{FILTERS}").context["page_obj"].object_list
        if case.first_published_at > confirmed.confirmed_at
    }
    assert announced == listed == {"井原市のテレワーク", "東京の府中市と井原市のテレワーク"}
    assert digest.subject.endswith("新着事例2件: テレワークの推進 × 中国の事例")
    assert "https://casebook.example.jp/cases/" in digest.body
    assert f"https://casebook.example.jp/cases/?{FILTERS}" in digest.body
    link(digest, "manage")
    assert "ログインが必要な事例" not in digest.body and "非公開に戻した事例" not in digest.body


def test_a_rerun_never_announces_a_case_twice(client, catalog, confirmed):
    new_telework_case_in_chugoku(catalog)
    make_due(confirmed)
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # at once: not due
    make_due(confirmed)
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # due, but nothing new: no message
    assert len(digests()) == 1
    assert Delivery.objects.filter(alert=confirmed).count() == 1


def test_a_digest_the_mail_server_refused_is_sent_by_the_next_run_and_only_it(client, catalog, confirmed, monkeypatch):
    other = Client()
    sign_up(other, email="hanako@example.lg.jp", filters="measure=telework")
    other.post(link(mail.outbox[-1], "confirm"))
    new_telework_case_in_chugoku(catalog)
    for alert in Alert.objects.all():
        make_due(alert)
    mail.outbox.clear()
    from django.core.mail import EmailMessage

    send = EmailMessage.send

    def refuse_taro(message, *args, **kwargs):
        if message.to == ["taro@example.lg.jp"]:
            raise ConnectionRefusedError("SMTP server down")
        return send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", refuse_taro)
    with pytest.raises(CommandError, match="送れなかった通知"):
        call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert [m.to for m in digests()] == [["hanako@example.lg.jp"]]
    monkeypatch.setattr(EmailMessage, "send", send)
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert [m.to for m in digests()] == [["hanako@example.lg.jp"], ["taro@example.lg.jp"]]


def test_one_click_unsubscribe_stops_the_alert_and_forgets_the_address(catalog, confirmed):
    new_telework_case_in_chugoku(catalog)
    make_due(confirmed)
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    [digest] = digests()
    unsubscribe = link(digest, "unsubscribe")
    browser = Client(enforce_csrf_checks=True)
    assert "配信を停止する" in browser.get(unsubscribe).content.decode()
    assert Alert.objects.exists()  # opening the link alone stops nothing
    # A mail program's one-click button (RFC 8058): a POST without our form's token.
    response = browser.post(unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "配信を停止しました" in response.content.decode()
    assert not Alert.objects.exists() and not Subscriber.objects.exists()
    assert "停止済み" in browser.get(unsubscribe).content.decode()


def test_the_manage_page_lists_changes_and_stops_every_alert_of_the_address(client, catalog, confirmed):
    sign_up(client, filters="measure=security")
    manage = link(mail.outbox[-1], "confirm")  # the second is still pending
    page = client.get(f"/alerts/manage/{confirmed.subscriber.token}/").content.decode()
    assert "テレワークの推進 × 中国の事例" in page and "配信中（毎週）" in page
    assert "セキュリティ対策の徹底の事例" in page and "確認待ち" in page
    response = client.post(
        f"/alerts/manage/{confirmed.subscriber.token}/",
        {"action": "frequency", "alert": confirmed.token, "frequency": "daily"},
    )
    assert "頻度を「毎日」にしました" in response.content.decode()
    assert Alert.objects.get(pk=confirmed.pk).frequency == "daily"
    client.post(f"/alerts/manage/{confirmed.subscriber.token}/", {"action": "leave_all"})
    assert not Subscriber.objects.exists() and not Alert.objects.exists()
    assert client.get(manage).status_code == 404


def test_signing_up_again_answers_the_same_and_tells_only_the_address(client, catalog, confirmed):
    again = sign_up(client)
    fresh = sign_up(client, email="someone@example.lg.jp")
    assert again.status_code == fresh.status_code == 303 and again["Location"] == fresh["Location"]
    already, confirmation = mail.outbox
    assert "登録済み" in already.subject and already.to == ["taro@example.lg.jp"]
    assert "確認" in confirmation.subject and confirmation.to == ["someone@example.lg.jp"]
    assert Alert.objects.filter(subscriber__email="taro@example.lg.jp").count() == 1


def test_sign_ups_are_limited_per_address_and_per_client(client, catalog, settings):
    for n in range(5):
        assert sign_up(client, filters=f"year={2016 + n}").status_code == 303
    refused = sign_up(client, filters="year=2022")
    assert refused.status_code == 429
    assert "このメールアドレスへの登録の申し込みが多すぎます" in refused.content.decode()
    settings.CASEBOOK_ALERT_LIMITS = {"per_address_per_day": 5, "per_client_per_hour": 6}
    assert sign_up(client, email="b@example.lg.jp").status_code == 303
    refused = sign_up(client, email="c@example.lg.jp")
    assert refused.status_code == 429 and "1時間ほどしてから" in refused.content.decode()
    # Only keyed hashes are kept for the limits, never the address.
    assert not SignupAttempt.objects.filter(address_key__contains="example").exists()


def test_bad_input_gets_a_japanese_message_and_keeps_what_was_typed(client, catalog):
    response = sign_up(client, email="taro@@example", frequency="hourly", filters="measure=%00&year=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    assert "メールアドレスの形式が正しくありません" in html and 'value="taro@@example"' in html
    assert "お知らせの頻度は「毎日」か「毎週」から選んでください" in html
    assert not Alert.objects.exists() and mail.outbox == []
    assert client.get("/alerts/confirm/no-such-token/").status_code == 404
    assert "リンクは無効" in client.get("/alerts/confirm/no-such-token/").content.decode()
    assert client.post("/alerts/unsubscribe/no-such-token/").status_code == 200
    assert client.get("/alerts/?measure=%00&year=abc&near=x").status_code == 200


def test_unconfirmed_sign_ups_and_their_addresses_are_deleted_after_a_week(client, catalog):
    sign_up(client)
    Alert.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert not Alert.objects.exists() and not Subscriber.objects.exists()


def test_alert_pages_are_never_cached(client, catalog, confirmed):
    response = client.get(f"/alerts/manage/{confirmed.subscriber.token}/")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert CasePage.objects.exists()


def test_an_alert_whose_filter_the_list_no_longer_knows_is_not_widened(client, catalog, confirmed):
    Alert.objects.filter(pk=confirmed.pk).update(filters="measure=no-such-measure&region=chugoku")
    make_case(
        catalog.index,
        title="どこかの事例",
        lead=catalog.cases.tokyo_fuchu.lead_organization,
        primary=catalog.measures["security"],
    )
    make_due(confirmed)
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert digests() == []  # not every new case under a description that names a filter


def test_filters_too_long_to_keep_are_refused_not_cut(client, catalog):
    response = sign_up(client, filters="q=" + "あ" * 3000)
    assert response.status_code == 200 and "条件が長すぎて保存できません" in response.content.decode()
    assert not Alert.objects.exists()

"""/alerts/: sign up for the new cases of a list's filters, confirm, stop, and manage an address's
alerts. Never cached and never indexed: the pages behind a token are that address's own."""

from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from casebook.base.core.limits import answer_refusal
from casebook.base.core.security import client_ip
from casebook.site.alerts.forms import AlertForm
from casebook.site.alerts.models import Alert, Frequency, Subscriber
from casebook.site.alerts.subscriptions import confirm as confirm_alert
from casebook.site.alerts.subscriptions import leave, saved_filters
from casebook.site.alerts.subscriptions import sign_up as save
from cases.discovery.listing import read_filters

FORMS = ["GET", "HEAD", "POST"]
MAX_FILTERS = 2000


def respond(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def invalid(request):
    return respond(request, "alerts/invalid.html", {}, status=404)


@require_http_methods(FORMS)
def sign_up(request):
    status = 200
    if request.method == "POST":
        form = AlertForm(request.POST)
        raw_filters = str(request.POST.get("filters", ""))
        _, summary = read_filters(QueryDict(raw_filters[:MAX_FILTERS]))
        if len(raw_filters) > MAX_FILTERS:  # cut, it would mean more than the list the user saw
            form.add_error(None, "条件が長すぎて保存できません。検索語や条件を減らしてから申し込んでください。")
        if form.is_valid():
            status = answer_refusal(
                form,
                lambda: save(
                    form.cleaned_data["email"],
                    form.cleaned_data["frequency"],
                    saved_filters(summary),
                    summary.subject(),
                    client_ip(request) or "",
                    timezone.now(),
                ),
            )
            if status is None:
                return HttpResponseRedirect(reverse("alerts:sent"), status=303)
    else:
        _, summary = read_filters(request.GET)
        form = AlertForm(initial={"filters": saved_filters(summary)})
    context = {
        "form": form,
        "case_filter": summary,
        "filters": saved_filters(summary),
        "meta_title": "新着事例のメール通知",
    }
    return respond(request, "alerts/sign_up.html", context, status=status)


def sent(request):
    return respond(request, "alerts/sent.html", {"meta_title": "確認のメールを送りました"})


@require_http_methods(FORMS)
def confirm(request, token):
    alert = Alert.objects.filter(token=token).select_related("subscriber").first()
    if alert is None:
        return invalid(request)
    done = False
    if request.method == "POST":
        confirm_alert(alert, timezone.now())
        done = True
    return respond(request, "alerts/confirm.html", {"alert": alert, "done": done, "meta_title": "登録の確認"})


@csrf_exempt  # RFC 8058: a mail program's one-click button posts here without a form of ours
@require_http_methods(FORMS)
def unsubscribe(request, token):
    alert = Alert.objects.filter(token=token).select_related("subscriber").first()
    manage_token = alert.subscriber.token if alert else None
    done = False
    if request.method == "POST":
        if alert:
            leave(alert)
        done = True
    context = {"alert": alert, "done": done, "manage_token": manage_token, "meta_title": "通知の配信停止"}
    return respond(request, "alerts/unsubscribe.html", context)


@require_http_methods(FORMS)
def manage(request, token):
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return respond(request, "alerts/manage.html", {"gone": True, "meta_title": "通知の管理"}, status=404)
    message = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "leave_all":
            subscriber.delete()
            return respond(request, "alerts/manage.html", {"left_all": True, "meta_title": "通知の管理"})
        if action == "frequency":
            alert = subscriber.alerts.filter(token=str(request.POST.get("alert", ""))).first()
            frequency = request.POST.get("frequency")
            if alert and frequency in Frequency.values:
                alert.frequency = frequency
                alert.save(update_fields=["frequency"])
                message = f"「{alert.description}」の頻度を「{alert.get_frequency_display()}」にしました。"
            else:
                message = "頻度を変更できませんでした。もう一度選んでください。"
    alerts = subscriber.alerts.order_by("created_at")
    context = {
        "subscriber": subscriber,
        "alerts": alerts,
        "frequencies": Frequency.choices,
        "message": message,
        "meta_title": "通知の管理",
    }
    return respond(request, "alerts/manage.html", context)

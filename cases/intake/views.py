"""The views of 「事例を投稿」 (routes of CaseIndexPage): never cached, never indexed."""

from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from casebook.base.core.limits import answer_refusal
from casebook.base.core.links import public_url
from casebook.base.core.security import client_ip
from cases.content.submissions import CaseSubmission
from cases.intake.submission import UNCONFIRMED_FOR, SubmissionForm, confirm, submit


def respond(index, request, template, context, status=200):
    response = index.render(request, template=template, context_overrides=context)
    response.status_code = status
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    return response


def submit_form(index, request):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    status = 200
    if request.method == "POST":
        form = SubmissionForm(request.POST)
        if form.is_valid():
            if form.cleaned_data.get("website"):  # the honeypot: answered as a success, nothing kept
                return HttpResponseRedirect(index.url + index.reverse_subpage("submit_sent"), status=303)
            status = answer_refusal(
                form,
                lambda: submit(
                    form,
                    client_ip(request) or "",
                    timezone.now(),
                    lambda token: public_url(
                        index.get_url(request) + index.reverse_subpage("submit_confirm", args=[token]), request
                    ),
                ),
            )
            if status is None:
                return HttpResponseRedirect(index.url + index.reverse_subpage("submit_sent"), status=303)
        else:
            status = 200
    else:
        form = SubmissionForm()
    context = {
        "form": form,
        "meta_title": "事例を投稿",
        "suggest_url": index.url + index.reverse_subpage("municipality_suggestions"),
    }
    return respond(index, request, "cases/submit_page.html", context, status)


def confirm_submission(index, request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    submission = CaseSubmission.objects.filter(token=token).select_related("organization__prefecture").first()
    expired = (
        submission is not None
        and submission.confirmed_at is None
        and (submission.created_at < timezone.now() - UNCONFIRMED_FOR)
    )
    if submission is None or expired:
        return respond(index, request, "cases/submit_confirm.html", {"missing": True, "meta_title": "投稿の確認"}, 404)
    # Confirmed once is confirmed: a later POST of the link (the case deleted since) makes nothing new.
    if request.method == "POST" and submission.confirmed_at is None:
        confirm(submission, index, timezone.now())
        submission.refresh_from_db()
    done = submission.confirmed_at is not None
    context = {"submission": submission, "done": done, "meta_title": "投稿の確認"}
    return respond(index, request, "cases/submit_confirm.html", context)

"""「事例を投稿」 (/cases/submit/): a municipal employee proposes a case without an account.

The form keeps everything typed when a field is wrong; a confirmation link to the given address turns
the submission into a draft case in 「事例の承認」 (marked as 投稿 by its CaseSubmission); the submitter is
told when it is received, published, or returned with the moderator's comment. Spam is held off without
third parties: a honeypot field, limits per address and per client, size limits, and CSRF."""

import datetime
import logging

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from casebook.base.core.blocks import SECTION_KINDS
from casebook.base.core.limits import DAY, HOUR, Limit, MailNotSent, count_and_add, send_or_refuse
from casebook.base.core.links import keyed_hash as keyed
from casebook.base.core.links import page_public_url
from casebook.base.core.parsing import parse_fiscal_year, parse_yen
from casebook.base.core.text import clean_text, normalise
from casebook.base.core.validators import validate_fiscal_year
from casebook.base.core.visibility import visible
from casebook.base.taxonomy.models import GrantProgram
from cases.content.narrative import text_to_html
from cases.content.pages import CaseOutcome, CasePage, CaseSource, cross_field_errors, proposed_slug
from cases.content.submissions import CaseSubmission
from cases.discovery.nearby import matching_organizations
from measures.models import MeasurePage, current_plan

logger = logging.getLogger(__name__)

OUTCOME_ROWS = 3
SOURCE_ROWS = 3
SECTION_MAX = 5000
UNCONFIRMED_FOR = datetime.timedelta(days=7)


def measure_choices() -> list[tuple[str, str]]:
    """The public measures, in the latest plan edition's order (earlier editions' after)."""
    order = current_plan().positions()
    measures = visible(MeasurePage.objects.all())
    return [(str(m.pk), m.title) for m in sorted(measures, key=lambda m: (order.get(m.pk, len(order)), m.path))]


class SubmissionForm(forms.Form):
    """Every message Japanese; the widgets are drawn by templates/cases/submit_page.html."""

    required_message = "入力してください。"

    organization = forms.CharField(
        label="団体", max_length=100, help_text="自治体名・よみ・団体コード（例: 府中市、342084）"
    )
    department = forms.CharField(label="部署", max_length=120)
    name = forms.CharField(label="氏名", max_length=60)
    email = forms.CharField(
        label="メールアドレス", max_length=254, help_text="確認のメールを送ります。公開はしません。"
    )
    title = forms.CharField(
        label="事例のタイトル", max_length=255, help_text="例: 広島県府中市のテレワーク環境の整備事例"
    )
    summary = forms.CharField(label="概要", max_length=1000, widget=forms.Textarea, help_text="2〜3文の要約")
    primary_measure = forms.ChoiceField(label="主な重点取組事項")
    other_measures = forms.MultipleChoiceField(
        label="その他の重点取組事項", required=False, widget=forms.CheckboxSelectMultiple
    )
    fiscal_year = forms.CharField(label="実施年度", max_length=20, required=False, help_text="例: 2021、令和3年度")
    project_cost = forms.CharField(label="事業費", max_length=30, required=False, help_text="例: 2,200万円、22000000")
    cost_fiscal_year = forms.CharField(label="事業費の年度", max_length=20, required=False, help_text="例: 2021")
    grant_programs = forms.MultipleChoiceField(
        label="活用した財源制度", required=False, widget=forms.CheckboxSelectMultiple
    )
    grant_note = forms.CharField(
        label="その他の財源", max_length=200, required=False, help_text="一覧にない制度や単独事業など"
    )
    agree = forms.BooleanField(
        label="投稿した内容を Casebook の編集者が確認・編集し、出典とともに公開することに同意します。",
        error_messages={"required": "公開への同意にチェックを入れてください。"},
    )
    # A field people do not see (and are told to leave empty); a bot that fills every field does.
    website = forms.CharField(label="この欄は空のままにしてください", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measures = measure_choices()
        self.fields["primary_measure"].choices = [("", "選んでください"), *measures]
        self.fields["other_measures"].choices = measures
        self.fields["grant_programs"].choices = [
            (str(pk), name) for pk, name in GrantProgram.objects.order_by("name").values_list("pk", "name")
        ]
        for n in range(1, OUTCOME_ROWS + 1):
            self.fields[f"outcome_{n}_label"] = forms.CharField(label=f"成果{n}の指標", max_length=120, required=False)
            self.fields[f"outcome_{n}_value"] = forms.CharField(label=f"成果{n}の値", max_length=60, required=False)
            self.fields[f"outcome_{n}_unit"] = forms.CharField(label=f"成果{n}の単位", max_length=20, required=False)
            self.fields[f"outcome_{n}_period"] = forms.CharField(label=f"成果{n}の期間", max_length=100, required=False)
        for n in range(1, SOURCE_ROWS + 1):
            self.fields[f"source_{n}_title"] = forms.CharField(label=f"出典{n}の資料名", max_length=255, required=False)
            self.fields[f"source_{n}_url"] = forms.CharField(label=f"出典{n}のURL", max_length=500, required=False)
        for kind, label in SECTION_KINDS:
            self.fields[f"section_{kind}"] = forms.CharField(
                label=label, max_length=SECTION_MAX, required=False, widget=forms.Textarea
            )
        for field in self.fields.values():
            field.error_messages.setdefault("required", self.required_message)
            field.error_messages["required"] = field.error_messages.get("required") or self.required_message
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = f"{field.max_length}文字以内で入力してください。"
            field.error_messages["invalid_choice"] = "一覧から選んでください。"

    @property
    def outcome_rows(self):
        return [[self[f"outcome_{n}_{part}"] for part in ("label", "value", "unit", "period")] for n in range(1, 4)]

    @property
    def source_rows(self):
        return [[self[f"source_{n}_{part}"] for part in ("title", "url")] for n in range(1, 4)]

    @property
    def section_fields(self):
        return [self[f"section_{kind}"] for kind, _ in SECTION_KINDS]

    def clean_organization(self):
        text = clean_text(normalise(self.cleaned_data["organization"]))
        found = matching_organizations(text)
        if not found:
            raise ValidationError(
                f"「{text}」に当たる団体が見つかりません。自治体名か団体コード（6桁）で入力してください。"
            )
        if len(found) > 1:
            names = "、".join(f"{org.full_name}（{org.code}）" for org in found[:5])
            raise ValidationError(
                f"「{text}」に当たる団体が{len(found)}つあります: {names}。団体コードか都道府県名から入力してください。"
            )
        return found[0]

    def clean_email(self):
        from django.core.validators import validate_email

        email = clean_text(normalise(self.cleaned_data["email"])).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError("メールアドレスの形式が正しくありません（例: taro@example.lg.jp）。") from None
        return email

    def clean_year(self, name):
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        try:
            year = parse_fiscal_year(text)
            validate_fiscal_year(year)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        except ValidationError as error:
            raise ValidationError(" ".join(error.messages)) from None
        return year

    def clean_fiscal_year(self):
        return self.clean_year("fiscal_year")

    def clean_cost_fiscal_year(self):
        return self.clean_year("cost_fiscal_year")

    def clean_project_cost(self):
        text = self.cleaned_data.get("project_cost", "")
        if not text:
            return None
        try:
            return parse_yen(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        primary = cleaned.get("primary_measure")
        rules = {
            "primary_measure": primary,
            "other_measures": cleaned.get("other_measures") or [],
            "project_cost_yen": cleaned.get("project_cost"),
            "cost_fiscal_year": cleaned.get("cost_fiscal_year"),
        }
        for field, message in cross_field_errors(rules).items():
            self.add_error({"project_cost_yen": "project_cost"}.get(field, field), message)
        for n in range(1, OUTCOME_ROWS + 1):
            label, value = cleaned.get(f"outcome_{n}_label"), cleaned.get(f"outcome_{n}_value")
            if bool(label) != bool(value):
                self.add_error(f"outcome_{n}_{'value' if label else 'label'}", "指標と値は両方入力してください。")
        for n in range(1, SOURCE_ROWS + 1):
            title, url = cleaned.get(f"source_{n}_title"), cleaned.get(f"source_{n}_url")
            if url:
                try:
                    CaseSource(title=title or "x", url=url).clean_fields(exclude=["page", "sort_order", "note"])
                except ValidationError:
                    self.add_error(f"source_{n}_url", "URLの形式が正しくありません（https:// から始まるURL）。")
            if url and not title:
                self.add_error(f"source_{n}_title", "資料名も入力してください。")
        return cleaned

    def data_for_storage(self) -> dict:
        c = self.cleaned_data
        return {
            "title": c["title"],
            "summary": c["summary"],
            "primary_measure": int(c["primary_measure"]),
            "other_measures": [int(pk) for pk in c["other_measures"] if pk != c["primary_measure"]],
            "fiscal_year": c["fiscal_year"],
            "project_cost_yen": c["project_cost"],
            "cost_fiscal_year": c["cost_fiscal_year"],
            "grant_programs": [int(pk) for pk in c["grant_programs"]],
            "grant_note": c["grant_note"],
            "outcomes": [
                [c[f"outcome_{n}_{part}"] for part in ("label", "value", "unit", "period")]
                for n in range(1, OUTCOME_ROWS + 1)
                if c.get(f"outcome_{n}_label")
            ],
            "sources": [
                [c[f"source_{n}_title"], c[f"source_{n}_url"]]
                for n in range(1, SOURCE_ROWS + 1)
                if c.get(f"source_{n}_title")
            ],
            "sections": {kind: c[f"section_{kind}"] for kind, _ in SECTION_KINDS if c.get(f"section_{kind}")},
        }


def submission_limits(email: str, client: str) -> list[Limit]:
    limits = settings.CASEBOOK_SUBMISSION_LIMITS
    return [
        Limit(
            "email",
            email,
            limits["per_address_per_day"],
            DAY,
            "このメールアドレスからの投稿が多すぎます。明日以降にもう一度お送りください。",
        ),
        Limit(
            "client_key",
            keyed(client),
            limits["per_client_per_hour"],
            HOUR,
            "投稿が多すぎます。1時間ほどしてからもう一度お送りください。",
        ),
    ]


def submit(form: SubmissionForm, client: str, now, confirm_url) -> CaseSubmission:
    """Keep the submission until its address is confirmed, and send the link (`confirm_url(token)`)."""
    c = form.cleaned_data
    purge(now)
    submission = count_and_add(
        CaseSubmission.objects.all(),
        "created_at",
        submission_limits(c["email"], client),
        now,
        lambda: CaseSubmission.objects.create(
            name=c["name"],
            department=c["department"],
            email=c["email"],
            organization=c["organization"],
            data=form.data_for_storage(),
            client_key=keyed(client),
        ),
    )
    try:
        send_or_refuse(
            lambda: tell(
                submission,
                "事例の投稿の確認",
                f"Casebook 自治体DX事例ライブラリに、次の事例が投稿されました。\n\n{submission.data['title']}\n\n"
                f"投稿を確定するには、次のリンクを開いて「投稿を確定する」を押してください（7日以内）。\n\n"
                f"{confirm_url(submission.token)}\n\n"
                "心当たりがない場合は、このメールを破棄してください。確定されない投稿は7日後に削除されます。",
                quiet=False,
            ),
            "確認のメールを送れませんでした。しばらくしてからもう一度お送りください。",
            "submission confirmation",
        )
    except MailNotSent:  # nothing was sent: keep nothing, and say so (what was typed stays in the form)
        submission.delete()
        raise
    return submission


def confirm(submission: CaseSubmission, index, now) -> CasePage:
    """The confirmed submission as a draft case, submitted to review; the submitter is told."""
    data = submission.data
    with transaction.atomic():
        locked = CaseSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.confirmed_at is not None:  # confirmed once (its case may have been deleted since)
            return locked.case
        primary = MeasurePage.objects.get(pk=data["primary_measure"])
        case = CasePage(
            title=data["title"],
            summary=data["summary"],
            lead_organization=submission.organization,
            primary_measure=primary,
            fiscal_year=data["fiscal_year"],
            project_cost_yen=data["project_cost_yen"],
            cost_fiscal_year=data["cost_fiscal_year"],
            live=False,
        )
        case.slug = (
            proposed_slug(submission.organization, primary, data["fiscal_year"], index) or f"submission-{submission.pk}"
        )
        case.other_measures = MeasurePage.objects.filter(pk__in=data["other_measures"])
        case.grant_programs = GrantProgram.objects.filter(pk__in=data["grant_programs"])
        case.outcomes = [CaseOutcome(label=o[0], value=o[1], unit=o[2], period=o[3]) for o in data["outcomes"]]
        case.sources = [CaseSource(title=title, url=url) for title, url in data["sources"]]
        case.body = [
            {"type": "section", "value": {"kind": kind, "heading": "", "body": text_to_html(text)}}
            for kind, text in data["sections"].items()
        ]
        index.add_child(instance=case)
        case.save_revision(log_action=True)
        workflow = case.get_workflow()
        if workflow:
            workflow.start(case, None)
        locked.case = case
        locked.status = CaseSubmission.Status.IN_REVIEW
        locked.confirmed_at = now
        locked.save(update_fields=["case", "status", "confirmed_at"])
    tell(
        submission,
        "事例の投稿を受け付けました",
        f"投稿いただいた事例「{data['title']}」を受け付けました。編集者が内容を確認し、公開したときや"
        "修正をお願いするときは、このアドレスにお知らせします。",
    )
    return case


def tell(submission: CaseSubmission, subject: str, body: str, quiet: bool = True) -> None:
    """Mail the submitter. A notice that fails (received, published, returned) is logged, never in the way
    of the moderator's approval or the submitter's confirmation; the confirmation link itself is not quiet."""
    try:
        send_mail(
            f"【Casebook 自治体DX事例ライブラリ】{subject}",
            f"{submission.name} 様\n\n{body}\n\n--\nCasebook 自治体DX事例ライブラリ\nこのメールは送信専用です。",
            None,
            [submission.email],
        )
    except Exception:
        if not quiet:
            raise
        logger.exception("submission notice not sent", extra={"submission": submission.pk})


def when_published(sender, instance, **kwargs):
    """page_published: a submitted case went live for the first time — tell its submitter where."""
    waiting = (CaseSubmission.Status.IN_REVIEW, CaseSubmission.Status.RETURNED)
    submission = CaseSubmission.objects.filter(case_id=instance.pk, status__in=waiting).first()
    if submission is None:
        return
    CaseSubmission.objects.filter(pk=submission.pk).update(status=CaseSubmission.Status.PUBLISHED)
    url = page_public_url(instance)
    tell(
        submission,
        "投稿いただいた事例を公開しました",
        f"投稿いただいた事例「{instance.title}」を公開しました。\n\n{url}",
    )


def when_rejected(sender, instance, user=None, **kwargs):
    """workflow_rejected: a submitted case was returned — tell its submitter, with the moderator's comment."""
    # Only the first review concerns the submitter: later edits by the editors are theirs.
    submission = (
        CaseSubmission.objects.filter(case_id=instance.object_id, status=CaseSubmission.Status.IN_REVIEW).first()
        if instance.object_id
        else None
    )
    if submission is None:
        return
    CaseSubmission.objects.filter(pk=submission.pk).update(status=CaseSubmission.Status.RETURNED)
    rejected = instance.task_states.filter(status="rejected").order_by("-finished_at").first()
    comment = (rejected.comment if rejected else "") or "（コメントはありません）"
    tell(
        submission,
        "投稿いただいた事例について確認のお願い",
        f"投稿いただいた事例「{submission.data.get('title', '')}」は、次の点を確認してから公開します。\n\n"
        f"{comment}\n\n内容を直して、もう一度投稿してください。",
    )


def purge(now) -> int:
    """Submissions nobody confirmed within a week: deleted with the address they hold."""
    old = CaseSubmission.objects.filter(status=CaseSubmission.Status.UNCONFIRMED, created_at__lt=now - UNCONFIRMED_FOR)
    count, _ = old.delete()
    return count

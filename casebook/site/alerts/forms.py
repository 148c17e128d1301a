from django import forms
from django.core.validators import validate_email

from casebook.base.core.text import clean_text, normalise
from casebook.site.alerts.models import Frequency


class AlertForm(forms.Form):
    """The sign-up form: an address and how often. The filters travel as the list's query string."""

    email = forms.CharField(
        label="メールアドレス",
        max_length=254,
        error_messages={"required": "メールアドレスを入力してください。", "max_length": "メールアドレスが長すぎます。"},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label="お知らせの頻度",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "お知らせの頻度を選んでください。",
            "invalid_choice": "お知らせの頻度は「毎日」か「毎週」から選んでください。",
        },
    )
    # Read leniently by the list's own form (what cannot be honoured is named, not refused).
    filters = forms.Field(required=False, widget=forms.HiddenInput)

    def clean_email(self):
        # 「ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ」 typed with the IME on is the same address.
        email = clean_text(normalise(self.cleaned_data["email"])).strip()
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError("メールアドレスの形式が正しくありません（例: taro@example.lg.jp）。") from None
        return email

"""Driving the Wagtail admin the way a browser would: read the form, change fields, post it back."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield


def page_form(client, url):
    """The edit form's current values, as a browser would submit them."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def post_form(client, url, data):
    """Posts every value of a multi-value field: the test client sends only the last one of a QueryDict's."""
    return client.post(url, {key: data.getlist(key) for key in data})


def fill(data, fields=None, **blocks):
    """Set plain fields (a list sets a multi-value field) and StreamFields given as lists of blocks."""
    for name, value in (fields or {}).items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = str(value)
    for name, items in blocks.items():
        for key, value in nested_form_data({name: streamfield(items)}).items():
            data[key] = str(value)
    return data


def add_case_url(index):
    return reverse("wagtailadmin_pages:add", args=("cases", "casepage", index.pk))


def add_interview_url(case):
    return reverse("wagtailadmin_pages:add", args=("cases", "interviewpage", case.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def section(kind, text):
    return ("section", {"kind": kind, "heading": "", "body": rich_text(f"<p>{text}</p>")})


def question(text, speaker, answer):
    return ("qa", {"question": text, "speaker": speaker, "answer": rich_text(f"<p>{answer}</p>")})


def errors_of(response):
    """Field name → error texts, from the form the admin re-rendered."""
    form = response.context["form"]
    found = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    for name, formset in getattr(form, "formsets", {}).items():
        for i, errs in enumerate(formset.errors):
            for field, messages in errs.items():
                found[f"{name}-{i}-{field}"] = [str(m) for m in messages]
    return found

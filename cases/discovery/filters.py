"""A form parses: the case list's query string, one field per facet of the table (cases/discovery/facets.py).

It is lenient, as a list a person edits by hand should be: a value that cannot be honoured is
dropped and named in Japanese in `notes`, and every other filter still applies.
"""

from django import forms

from casebook.base.core.cache import cached
from casebook.base.core.text import clean_text, normalise
from casebook.base.core.validators import FIRST_FISCAL_YEAR, last_allowed_fiscal_year
from casebook.base.search.query import clean_search_text
from cases.discovery.facets import FACETS, MAX_VALUES_PER_FACET, SORTS, default_sort, facet_labels, sort_means_nothing
from cases.discovery.nearby import DEFAULT_WITHIN_KM, MAX_WITHIN_KM, find_origin, find_size
from cases.discovery.query import CaseQuery


class FacetField(forms.Field):
    """Every value given for one parameter (?measure=a&measure=b), control characters dropped and
    the text normalised. Never an error: which values a facet knows is the form's to judge."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [cleaned for cleaned in (clean_text(normalise(str(raw))) for raw in value or []) if cleaned]

    def validate(self, value):
        pass


class SearchTextField(forms.Field):
    """Every `q` given; clean_search_text joins and trims them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [str(raw) for raw in value or []]


class CaseFilterForm(forms.Form):
    """The case list's query string, read leniently: a value that cannot be honoured is dropped and
    named in `notes` (Japanese), and every other filter still applies. One field per facet of FACETS."""

    q = SearchTextField(required=False)
    sort = forms.Field(required=False)
    near = forms.Field(required=False)
    within = forms.Field(required=False)
    similar = forms.Field(required=False)

    def __init__(self, data, labels: dict[str, dict[str, str]] | None = None):
        super().__init__(data)
        self.labels = labels if labels is not None else cached("facet-labels", (), facet_labels, small=True)
        for name in FACETS:
            self.fields[name] = FacetField(required=False)
        self.notes: list[str] = []

    def clean(self):
        cleaned = super().clean()
        selected = {}
        for name, facet in FACETS.items():
            values = []
            for value in cleaned.get(name) or []:
                canonical = self.canonical(name, value)
                if canonical is None:
                    self.notes.append(self.invalid_note(name, value))
                elif canonical not in values:
                    values.append(canonical)
            if len(values) > MAX_VALUES_PER_FACET:
                self.notes.append(f"{facet.label}は{MAX_VALUES_PER_FACET}件までしか指定できません。")
                values = values[:MAX_VALUES_PER_FACET]
            if values:
                selected[name] = values
        q, search_query, notes = clean_search_text(cleaned.get("q") or [])
        self.notes.extend(notes)
        near, within = self.read_near(cleaned.get("near"), cleaned.get("within"))
        similar = self.read_similar(cleaned.get("similar"))
        sort = clean_text(str(cleaned.get("sort") or ""))
        if sort and sort not in SORTS:
            self.notes.append(f"並び順「{sort[:30]}」は使えないため、標準の並び順にしました。")
            sort = ""
        elif sort_means_nothing(sort, bool(q), bool(near), bool(similar)):
            sort = ""
        sort = sort or default_sort(bool(q), bool(near), bool(similar))
        cleaned["query"] = CaseQuery(selected, q, search_query, sort, near, within, similar)
        return cleaned

    def read_similar(self, raw) -> str:
        """An LG code whose organization has a population (「人口規模が近い団体の事例」), or '' with a note."""
        code = clean_text(normalise(str(raw or "")))
        if code and find_size(code) is None:
            self.notes.append(
                f"自治体コード「{code[:30]}」は見つからないか人口が分からないため、人口規模での絞り込みを無視しました"
                "（6桁の全国地方公共団体コードで指定してください。例: 342084）。"
            )
            return ""
        return code

    def read_near(self, raw_near, raw_within) -> tuple[str, int]:
        """The LG code of a local government with a known position, and a radius of 1–300 km."""
        near = clean_text(normalise(str(raw_near or "")))
        if near and find_origin(near) is None:
            self.notes.append(
                f"自治体コード「{near[:30]}」は見つからないため無視しました"
                "（全国地方公共団体コード6桁で指定してください。例: 342084）。"
            )
            near = ""
        within = clean_text(normalise(str(raw_within or "")))
        if not within:
            return near, DEFAULT_WITHIN_KM
        if not (within.isascii() and within.isdigit() and len(within) <= 6) or int(within) < 1:
            self.notes.append(
                f"距離「{within[:30]}」は使えないため{DEFAULT_WITHIN_KM}kmにしました"
                f"（1〜{MAX_WITHIN_KM}のkm数で指定してください）。"
            )
            return near, DEFAULT_WITHIN_KM
        if int(within) > MAX_WITHIN_KM:
            self.notes.append(f"距離は{MAX_WITHIN_KM}kmまでです。{MAX_WITHIN_KM}km以内で表示しています。")
            return near, MAX_WITHIN_KM
        return near, int(within)

    def query(self) -> CaseQuery:
        self.is_valid()  # never invalid: what cannot be honoured is in notes
        return self.cleaned_data["query"]

    def canonical(self, name: str, value: str) -> str | None:
        """The value as the facet knows it (「02021」 → 「2021」, 「VDI」 → 「vdi」), or None if there is none."""
        if name == "year":
            in_range = (
                value.isascii() and value.isdigit() and FIRST_FISCAL_YEAR <= int(value) <= last_allowed_fiscal_year()
            )
            return str(int(value)) if in_range else None
        value = value.lower()  # every slug is lower case; prefecture codes are digits
        return value if value in self.labels[name] else None

    def invalid_note(self, name: str, value: str) -> str:
        if name == "year":
            return (
                f"年度「{value[:30]}」は使えないため無視しました"
                f"（{FIRST_FISCAL_YEAR}〜{last_allowed_fiscal_year()}の西暦で指定してください）。"
            )
        return f"{FACETS[name].label}「{value[:30]}」は見つからないため無視しました。"

"""Admin widgets."""

from django import forms
from django.utils.html import format_html

from casebook.core.text import normalise


class SearchableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes with a box that narrows them as one types (name, reading, romaji, code, prefecture).

    For many-to-many fields over long lists such as the 1,788 local governments; works without
    JavaScript as a plain scrollable list of checkboxes.
    """

    search_label = "絞り込み"

    class Media:
        js = ["js/searchable-checkboxes.js"]
        css = {"all": ["css/admin-widgets.css"]}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        words = [str(label)]
        for field in ("name_kana", "name_romaji", "code", "administered_by"):
            words.append(str(getattr(instance, field, "") or ""))
        option["attrs"]["data-search"] = normalise(" ".join(words)).lower()
        return option

    def render(self, name, value, attrs=None, renderer=None):
        field_id = (attrs or {}).get("id") or f"id_{name}"
        checkboxes = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="searchable-checkboxes" data-searchable-checkboxes>'
            '<label class="searchable-checkboxes__label" for="{id}-search">{label}</label>'
            '<input type="search" id="{id}-search" class="searchable-checkboxes__search" '
            'placeholder="名称・よみ・コードの一部" autocomplete="off" data-searchable-checkboxes-input>'
            '<p class="searchable-checkboxes__status" aria-live="polite" data-searchable-checkboxes-status></p>'
            '<div class="searchable-checkboxes__list">{checkboxes}</div></div>',
            id=field_id,
            label=self.search_label,
            checkboxes=checkboxes,
        )

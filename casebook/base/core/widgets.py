"""Admin widgets."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from casebook.base.core.text import normalise


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


class SearchableMultipleChooser(forms.SelectMultiple):
    """A many-to-many choice over a list too long to print (1,788 local governments): the chosen
    items as ticked boxes, and a search box that asks the server (`search_url_name`, answering
    `?q=` with `{"results": [{"id", "label"}]}`) and adds a ticked box for the one picked.

    Unticking a box and saving removes it. Only the chosen items are rendered, so the page stays
    small; the form still checks every posted id against the field's queryset.
    """

    def __init__(self, search_url_name: str, attrs=None):
        super().__init__(attrs)
        self.search_url_name = search_url_name

    class Media:
        js = ["js/multiple-chooser.js"]
        css = {"all": ["css/admin-widgets.css"]}

    def id_for_label(self, id_):
        # The field's label names the search box, the one control the editor types in.
        return f"{id_}-search" if id_ else id_

    def chosen(self, value) -> list:
        ids = [str(v) for v in (value or []) if str(v).isascii() and str(v).isdecimal()]
        if not ids:
            return []
        queryset = self.choices.queryset
        by_id = {str(obj.pk): obj for obj in queryset.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = attrs or {}
        field_id = attrs.get("id") or f"id_{name}"
        boxes = format_html_join(
            "",
            '<li><label><input type="checkbox" name="{}" value="{}" checked> {}</label></li>',
            ((name, obj.pk, chooser_label(obj)) for obj in self.chosen(value)),
        )
        return format_html(
            '<div class="multiple-chooser" data-multiple-chooser data-search-url="{url}" data-name="{name}">'
            '<p class="multiple-chooser__empty" data-multiple-chooser-empty{empty_hidden}>まだ選ばれていません。</p>'
            '<ul class="multiple-chooser__chosen" data-multiple-chooser-chosen>{boxes}</ul>'
            '<p class="multiple-chooser__label" id="{id}-search-hint">'
            "追加する団体を名称・よみ・コードで検索し、「追加」を押します。</p>"
            '<input type="search" id="{id}-search" class="multiple-chooser__search" '
            'placeholder="例: 府中、ふちゅう、342084" autocomplete="off" '
            'aria-describedby="{id}-search-hint{describedby}" data-multiple-chooser-input>'
            '<p class="multiple-chooser__status" aria-live="polite" data-multiple-chooser-status></p>'
            '<ul class="multiple-chooser__results" data-multiple-chooser-results></ul>'
            "<noscript><p>団体を追加するには JavaScript を有効にしてください"
            "（チェックを外すと削除できます）。</p></noscript>"
            "</div>",
            url=reverse(self.search_url_name),
            name=name,
            id=field_id,
            boxes=boxes,
            empty_hidden=mark_safe(" hidden") if value else "",
            describedby=f" {attrs['aria-describedby']}" if attrs.get("aria-describedby") else "",
        )


def chooser_label(obj) -> str:
    """「広島県府中市（342084）」: the name with its code, as two 府中市 exist."""
    name = getattr(obj, "full_name", None) or str(obj)
    code = getattr(obj, "code", "")
    return f"{name}（{code}）" if code else name

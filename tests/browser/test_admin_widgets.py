"""The editor narrows the 1,788-long list of local governments by typing, without losing ticked ones."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_typing_narrows_the_partner_list_and_keeps_ticked_partners(site, signed_in):
    from cases.models import CasePage

    case = CasePage.objects.get(title="広島県府中市のテレワーク環境の整備事例")
    page = signed_in
    page.goto(site(f"/admin/pages/{case.pk}/edit/"))
    search = page.locator("#id_partner_organizations-search")
    search.fill("ふちゅう")
    shown = page.locator("#id_partner_organizations label:visible").all_inner_texts()
    assert any("広島県府中市" in text for text in shown) and any("東京都府中市" in text for text in shown)
    assert any("岡山県井原市" in text for text in shown)  # ticked, so kept in view
    assert not any("高知県南国市" in text for text in shown)
    assert (
        "件が該当"
        in page.locator("#id_partner_organizations-search ~ [data-searchable-checkboxes-status]").inner_text()
    )
    search.press("Enter")  # does not submit the form
    assert page.url.endswith(f"/admin/pages/{case.pk}/edit/")

"""A case page printed to PDF in Chromium: its title and cost, its URL and the date, and no navigation."""

import io
import unicodedata

from pypdf import PdfReader


def test_a_printed_case_has_its_facts_and_no_navigation(page, site):
    page.goto(site("/cases/fuchu-workation/"))
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=False)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # The PDF's text layer uses radical forms (⽇ for 日): compare normalised, without spaces or breaks.
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\n", "")
    assert "広島県府中市のテレワーク環境の整備事例" in text
    assert "2,200万円" in text
    assert "/cases/fuchu-workation/" in text and "印刷日" in text
    assert "メインメニュー" not in text and "本文へ移動" not in text
    assert "ウェブアクセシビリティ方針" not in text  # the site footer's links are not printed

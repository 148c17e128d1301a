from casebook.base.search.snippets import highlight


def test_the_first_match_is_marked_in_the_original_characters():
    html = str(highlight("名古屋市の職員２，３００ユーザーが同時に利用", ["2300"]))
    assert "<mark>２，３００</mark>" in html


def test_half_width_kana_are_found_and_kept_as_written():
    assert "<mark>ﾃﾚﾜｰｸ</mark>" in str(highlight("ﾃﾚﾜｰｸの推進", ["テレワーク"]))


def test_text_is_escaped_and_long_text_is_cut_around_the_match():
    html = str(highlight("<b>" + "あ" * 300 + "観光" + "い" * 300, ["観光"]))
    assert "&lt;b&gt;" not in html  # cut before the tag, and never raw HTML
    assert "<b>" not in html
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>観光</mark>" in html

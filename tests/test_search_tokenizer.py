from casebook.base.search.tokenizer import Term, head_tokens, index_tokens, normalize, parse_query


def test_normalize_folds_width_case_and_tilde_variants():
    assert normalize("ＶＤＩ") == "vdi"
    assert normalize("ｶﾀｶﾅ") == "カタカナ"
    assert normalize("20〜30") == normalize("20～30") == "20~30"
    assert normalize("2,300ユーザー") == "2300ユーザー"
    assert normalize("a\x00b") == "a b"


def test_japanese_runs_become_bigrams_plus_their_last_character():
    assert index_tokens("南国市") == ["南国", "国市", "市"]
    assert index_tokens("市") == ["市"]


def test_latin_and_digits_stay_whole_words():
    assert index_tokens("NVIDIA vGPU（仮想GPU）") == ["nvidia", "vgpu", "仮想", "想", "gpu"]
    assert index_tokens("Wi-Fi") == ["wi", "fi"]


def test_head_tokens_mark_where_words_start():
    assert head_tokens("京都の観光") == ["京都"]
    assert head_tokens("東京都 VDI") == ["東京", "vdi"]


def test_a_katakana_word_inside_a_longer_one_is_a_phrase_of_bigrams():
    query = parse_query("ワーケーション")
    assert query.terms == (Term(("ワー", "ーケ", "ケー", "ーシ", "ショ", "ョン")),)
    tokens = index_tokens("ワーケーションセンター")
    joined = " ".join(tokens)
    assert " ".join(query.terms[0].tokens) in joined


def test_one_character_queries_are_prefix_terms():
    assert parse_query("市").terms == (Term(("市",), prefix=True),)


def test_words_and_together_and_quotes_keep_a_phrase():
    assert len(parse_query("観光 交付金").terms) == 2
    assert parse_query('"nvidia vgpu"').terms == (Term(("nvidia", "vgpu")),)
    assert parse_query('"府中 家具"').terms == (Term(("府中", "中", "家具")),)


def test_a_mixed_script_word_is_one_phrase_laid_out_like_the_index():
    term = parse_query("仮想PC").terms[0]
    assert term == Term(("仮想", "想", "pc"))
    assert " ".join(term.tokens) in " ".join(index_tokens("NVIDIA 仮想PC（vPC）"))


def test_a_word_ending_in_one_japanese_character_ends_in_a_prefix():
    assert parse_query("VDIへ").terms == (Term(("vdi", "へ"), prefix=True),)
    assert parse_query("南国市").terms[0].prefix is False


def test_queries_with_nothing_searchable_are_empty():
    for text in ['"', "'\"", "(((", "\x00", "😀", "   ", "*", "-", "^", "「」"]:
        assert not parse_query(text), text


def test_hostile_queries_only_ever_yield_letters_and_digits():
    query = parse_query('AND OR NOT "x" NEAR(a b) col:val * ^ \' ; -- 😀 ' + "観" * 5000)
    for term in query.terms:
        for token in term.tokens:
            assert token.isalnum(), token
    assert len(query.terms) <= 16

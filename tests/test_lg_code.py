import pytest
from django.core.exceptions import ValidationError

from casebook.base.core.validators import is_valid_lg_code, lg_code_check_digit, validate_lg_code

REAL_CODES = {
    "060003": "山形県",
    "062014": "山形市",
    "063631": "舟形町",
    "072028": "会津若松市",
    "342084": "府中市（広島県）",
    "132063": "府中市（東京都）",
    "332071": "井原市",
    "231002": "名古屋市",
    "392049": "南国市",
    "420000": "長崎県",  # remainder 1: 11 - 1 = 10, check digit 0
    "220001": "静岡県",  # remainder 0: 11 - 0 = 11, check digit 1
}


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_the_check_digit(code):
    assert is_valid_lg_code(code)
    validate_lg_code(code)


@pytest.mark.parametrize(
    "code",
    ["392048", "342085", "06000", "0600033", "abcdef", "３９２０４９", "480006", "000000", ""],
)
def test_wrong_codes_are_refused(code):
    assert not is_valid_lg_code(code)
    with pytest.raises(ValidationError):
        validate_lg_code(code)


def test_wrong_check_digit_message_names_the_right_digit_in_japanese():
    with pytest.raises(ValidationError) as info:
        validate_lg_code("392048")
    message = info.value.messages[0]
    assert "検査数字" in message and "9" in message


def test_check_digit_of_prefecture_codes():
    assert lg_code_check_digit("13000") == 1  # 東京都 130001
    assert lg_code_check_digit("47000") == 7  # 沖縄県 470007

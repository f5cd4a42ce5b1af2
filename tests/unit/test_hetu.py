from datetime import date

import pytest

from sotevault.hetu import HETU_SHAPE_RE, check_char, is_valid_hetu, make_hetu


def test_check_character_of_the_spec_example() -> None:
    # sources.md: 010190-9123 and 010190Y9123 share DDMMYYNNN, so their check character.
    assert check_char("010190", "912") == "3"
    assert is_valid_hetu("010190-9123")
    assert is_valid_hetu("010190Y9123")


@pytest.mark.parametrize(
    ("born", "individual", "sign", "expected"),
    [
        (date(1990, 1, 1), 912, None, "010190-9123"),
        (date(1990, 1, 1), 912, "Y", "010190Y9123"),
        (date(2005, 6, 15), 950, None, "150605A950" + check_char("150605", "950")),
        (date(1899, 12, 31), 999, None, "311299+999" + check_char("311299", "999")),
    ],
)
def test_make_hetu(born: date, individual: int, sign: str | None, expected: str) -> None:
    assert make_hetu(born, individual, sign) == expected
    assert is_valid_hetu(expected)


@pytest.mark.parametrize(
    "code",
    ["010190-9124", "010190-912", "320190-9123", "010190Z9123", "01019A-9123", "", "010190-912 3"],
)
def test_invalid_codes(code: str) -> None:
    assert not is_valid_hetu(code)


def test_trimmed_and_upper_cased_before_the_check() -> None:
    assert is_valid_hetu(" 010190y9123 ")


def test_century_sign_must_fit_the_year() -> None:
    with pytest.raises(ValueError, match="century sign"):
        make_hetu(date(1990, 1, 1), 912, "A")


def test_shape_matches_valid_and_invalid_codes_alike() -> None:
    assert HETU_SHAPE_RE.findall("x 010190-9124;010190Y9123 y") == ["010190-9124", "010190Y9123"]

import hashlib
import hmac

import duckdb
import pytest

from sotevault.hetu import HETU_SHAPE_RE
from sotevault.pseudonym import DEVELOPMENT_KEY, KEY_ENV, install_macros, pseudonym_key, pseudonymise_hetu

KEY = b"test-key"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    install_macros(connection, KEY)
    return connection


def test_pseudonym_is_a_keyed_hmac_of_the_trimmed_upper_cased_code() -> None:
    digest = hmac.new(KEY, b"010190Y9123", hashlib.sha256).hexdigest()[:32]
    expected = digest.translate(str.maketrans("0123456789abcdef", "abcdefghijklmnop"))
    assert pseudonymise_hetu(" 010190y9123 ", KEY) == expected


def test_sql_macro_equals_the_python_reference(con: duckdb.DuckDBPyConnection) -> None:
    codes = ["010190-9123", "010190Y9123", " 150605a950x ", "nonsense"]
    got = [r[0] for r in con.execute("select sv_pseudonym(c) from unnest(?) t(c)", [codes]).fetchall()]
    assert got == [pseudonymise_hetu(c, KEY) for c in codes]


def test_century_sign_is_part_of_the_identity() -> None:
    assert pseudonymise_hetu("010190-9123", KEY) != pseudonymise_hetu("010190Y9123", KEY)


def test_the_key_decides_the_pseudonym() -> None:
    assert pseudonymise_hetu("010190-9123", b"a") != pseudonymise_hetu("010190-9123", b"b")


def test_a_pseudonym_never_looks_like_a_hetu() -> None:
    pseudonyms = [pseudonymise_hetu(f"0101{yy:02d}-9{n:02d}X", KEY) for yy in range(100) for n in range(100)]
    assert all(p.isalpha() and p.islower() and len(p) == 32 for p in pseudonyms)
    assert not any(HETU_SHAPE_RE.search(p) for p in pseudonyms)


def test_scrub_replaces_every_hetu_shaped_part(con: duckdb.DuckDBPyConnection) -> None:
    raw = 'A-1;010190-9123;638;"x";010190Y9124\r'
    (scrubbed,) = con.execute("select sv_scrub(?)", [raw]).fetchall()[0]
    assert scrubbed == (
        f'A-1;{pseudonymise_hetu("010190-9123", KEY)};638;"x";{pseudonymise_hetu("010190Y9124", KEY)}\r'
    )


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "from-env")
    assert pseudonym_key() == b"from-env"
    monkeypatch.delenv(KEY_ENV)
    assert pseudonym_key() == DEVELOPMENT_KEY.encode()


def test_python_scrub_equals_the_sql_macro(con: duckdb.DuckDBPyConnection) -> None:
    from sotevault.pseudonym import scrub

    text = "header does not match: found 'A-1;010190-9123;638' and 010190y9124"
    assert scrub(text, KEY) == con.execute("select sv_scrub(?)", [text]).fetchall()[0][0]
    assert not HETU_SHAPE_RE.search(scrub(text, KEY))

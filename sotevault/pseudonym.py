"""Pseudonymisation of personal identity codes: a keyed HMAC-SHA256, computed inside DuckDB.

The identity is the whole code, trimmed and upper-cased (the century sign is part of it).
The pseudonym is the first 128 bits of HMAC-SHA256(key, code), written with the letters
a-p instead of hex digits: it has no digits, so no pseudonym can ever look like a hetu.
The key comes from SOTEVAULT_PSEUDONYM_KEY; without it a development key is used and said so.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

import duckdb

from sotevault.hetu import HETU_SHAPE, HETU_SHAPE_RE

KEY_ENV = "SOTEVAULT_PSEUDONYM_KEY"
DEVELOPMENT_KEY = "sotevault-DEVELOPMENT-ONLY-pseudonym-key-never-use-with-real-data"
PSEUDONYM_CHARS = 32
_HEX = "0123456789abcdef"
_LETTERS = "abcdefghijklmnop"

log = logging.getLogger(__name__)


def pseudonym_key() -> bytes:
    key = os.environ.get(KEY_ENV, "")
    if not key:
        log.warning("%s is not set: using the DEVELOPMENT pseudonym key (never for real data)", KEY_ENV)
        key = DEVELOPMENT_KEY
    return key.encode("utf-8")


def pseudonymise_hetu(code: str, key: bytes | None = None) -> str:
    """The pseudonym of one code (reference implementation; ingestion uses the SQL macro)."""
    digest = hmac.new(
        key or pseudonym_key(), code.strip().upper().encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return digest[:PSEUDONYM_CHARS].translate(str.maketrans(_HEX, _LETTERS))


def scrub(text: str, key: bytes | None = None) -> str:
    """Every hetu-shaped part of a text replaced by its pseudonym: the Python twin of the
    `sv_scrub` SQL macro, for the few messages (a refused file's reason quoting a row) that
    reach the load audit or a log without passing through SQL."""
    secret = key or pseudonym_key()
    return HETU_SHAPE_RE.sub(lambda found: pseudonymise_hetu(found.group(0), secret), text)


def install_macros(con: duckdb.DuckDBPyConnection, key: bytes | None = None) -> None:
    """Define `sv_pseudonym(code)` and `sv_scrub(text)` as temporary macros on a connection.

    HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with SHA-256's 64-byte block; the key
    pads live only in this connection's temporary catalog, never in the warehouse file.
    """
    raw_key = key or pseudonym_key()
    if len(raw_key) > 64:
        raw_key = hashlib.sha256(raw_key).digest()
    block = raw_key.ljust(64, b"\0")
    ipad = bytes(b ^ 0x36 for b in block).hex()
    opad = bytes(b ^ 0x5C for b in block).hex()
    con.execute(
        f"""
        create or replace temp macro sv_pseudonym(code) as translate(
            left(sha256(unhex('{opad}') || unhex(sha256(unhex('{ipad}') || encode(upper(trim(code)))))),
                 {PSEUDONYM_CHARS}),
            '{_HEX}', '{_LETTERS}')
        """
    )
    # Every part of a text shaped like a hetu (valid or not) replaced by its pseudonym.
    pattern = HETU_SHAPE.replace("'", "''")
    con.execute(
        f"""
        create or replace temp macro sv_scrub(t) as array_to_string(
            list_transform(
                regexp_split_to_array(t, '{pattern}'),
                lambda part, i: part || coalesce(
                    sv_pseudonym(regexp_extract_all(t, '{pattern}')[i]), '')),
            '')
        """
    )

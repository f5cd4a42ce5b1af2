"""Which hash key representation: MD5 as hex text, as 16-byte BLOB, or as a 128-bit integer.

Measures, on DuckDB, the cost that matters for a vault load: computing the key for N rows,
and the anti-join of a batch of keys against a hub of keys. Prints a markdown table.
Run: .venv/bin/python bench/hash_keys.py [rows]
"""

from __future__ import annotations

import sys
import time

import duckdb

REPRESENTATIONS = {
    "VARCHAR (hex)": "upper(md5({x}))",
    "BLOB (16 B)": "unhex(md5({x}))",
    "UHUGEINT (128 bit)": "md5_number({x})",
}
BK = "concat_ws('||', coalesce(nullif(upper(trim(a)), ''), '^^'), coalesce(nullif(upper(trim(b)), ''), '^^'))"


def timed(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    started = time.perf_counter()
    con.execute(sql)
    return time.perf_counter() - started


def main(rows: int) -> None:
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(
        "create table src as select 'APTJ_A' as a, 'A-' || lpad(i::varchar, 9, '0') as b "
        f"from range({rows}) t(i)"
    )
    print(
        f"| representation | hash {rows:,} keys (s) | keys/s | anti-join {rows // 10:,} new of {rows:,} (s) |"
    )
    print("|---|---:|---:|---:|")
    for name, expr in REPRESENTATIONS.items():
        key = expr.format(x=BK)
        con.execute("drop table if exists hub; drop table if exists batch")
        hashing = timed(con, f"create table hub as select {key} as hk from src")
        con.execute(
            f"create table batch as select {key} as hk from "
            f"(select a, b from src using sample {rows // 10} rows (reservoir, 42) "
            f" union all select a, 'NEW-' || b from src using sample {rows // 10} rows (reservoir, 7))"
        )
        anti = min(
            timed(con, "create or replace temp table n as select hk from batch anti join hub using (hk)")
            for _ in range(3)
        )
        print(f"| {name} | {hashing:.2f} | {rows / hashing:,.0f} | {anti:.3f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000)

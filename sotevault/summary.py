"""What a run did, read back from the load audit, for people at a terminal."""

from __future__ import annotations

import duckdb


def run_summary(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    rows = con.execute(
        """
        select source,
               count(*) filter (where status = 'loaded') as loaded,
               count(*) filter (where status = 'duplicate') as duplicate,
               count(*) filter (where status = 'refused') as refused,
               coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0)
        from audit.load_files where run_id = ?
        group by source order by source
        """,
        [run_id],
    ).fetchall()
    header = (
        f"{'source':<24}{'files':>7}{'dupl.':>7}{'refused':>9}{'rows read':>12}{'loaded':>12}{'quarant.':>10}"
    )
    lines = ["Loaded in this run:", header, "-" * len(header)]
    for source, loaded, dup, refused, read, ok, bad in rows:
        lines.append(f"{source:<24}{loaded:>7}{dup:>7}{refused:>9}{read:>12,}{ok:>12,}{bad:>10,}")
    if not rows:
        lines.append("(no new files)")
    totals = con.execute(
        """
        select count(*) filter (where status = 'loaded'), coalesce(sum(rows_loaded), 0),
               coalesce(sum(rows_quarantined), 0)
        from audit.load_files
        """
    ).fetchall()[0]
    lines.append(
        f"Warehouse total: {totals[0]:,} files loaded, {totals[1]:,} rows in raw, "
        f"{totals[2]:,} rows in quarantine"
    )
    return "\n".join(lines)

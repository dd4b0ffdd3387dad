"""What a mart says about itself: the periods, which rows each table holds, the disclosure rules and
the marking, for its README.md, the workbook's README sheet and the DuckDB `readme` table."""
from __future__ import annotations

import pandas as pd

from csp.marts.disclosure import Rule
from csp.marts.districts import District
from csp.marts.spec import MartTable
from csp.publish.formats import in_sentence, join_words, mixed_forms

NO_COUNTS = "Disclosure: no counts in this table (directions, p-values and slopes cannot be turned back into counts)."
LEVEL_WORDS = {"lsoa": "LSOAs", "district": "districts", "neighbour": "neighbouring areas", "county": "the county"}


def _window_ends(windows: pd.DataFrame) -> str:
    """'in October 2025 (police recorded crime, ...) and June 2025 (road casualties)': each month a source's latest
    12 months end in, latest first, with the sources whose window it ends."""
    from csp.contracts import load_contract

    ends = windows.dropna(subset=["current_last"])
    by_month = {month: [in_sentence(load_contract(s).title) for s in sorted(group.index)]
                for month, group in ends.groupby(pd.to_datetime(ends["current_last"]))}
    return "in " + join_words([f"{month:%B %Y} ({', '.join(titles)})"
                               for month, titles in sorted(by_month.items(), reverse=True)])


def period_line(table: MartTable, windows: pd.DataFrame) -> str:
    if table.period == "rows":
        return f"Periods: each row names its own (the sources' latest 12 months end {_window_ends(windows)})"
    w = windows.loc[table.source]
    if table.period == "months":
        if pd.isna(w["first_month_with_data"]):
            return "Months: no data yet"
        if pd.isna(w["complete_until"]):
            return f"Months: {w['first_month_with_data']:%B %Y} – {w['last_month_with_data']:%B %Y} (none complete yet)"
        # the monthly tables end at the latest complete month, data_to naming any later months still arriving
        return f"Months: {w['first_month_with_data']:%B %Y} – {w['data_to']}"
    if w["comparison_available"]:
        mixed = mixed_forms(w)   # the months compared came in more than one layout
        return f"Period: {w['current_period']} compared with {w['previous_period']}" + (f"; {mixed}" if mixed else "")
    return f"Period: {w['current_period']}. {w['comparison_status']}"


def rows_line(table: MartTable, district: District, areas: pd.DataFrame) -> str:
    if table.fine:
        return f"Rows: {district.name}'s own LSOAs only"
    names = {
        "own": [district.name],
        "county": [f"{n} (the county)" for n in areas.loc[areas.area_type == "county", "area_name"]],
        "other_districts": [f"the other {(areas.area_type == 'district').sum() - 1} districts of the county"],
        "neighbours": sorted(areas.loc[areas.area_type == "neighbour", "area_name"]),
    }
    shown = [name for kind in table.areas for name in names[kind]]
    return "Rows: " + (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0])


def disclosure_line(rule_of_measure: pd.Series, rules: dict[str, Rule]) -> str:
    """The rules protecting a table's measures (`rule_of_measure`: measure -> rule name), in words."""
    def words(rule: Rule) -> str:
        text = f"counts of 1 to {rule.suppress_up_to} in {', '.join(LEVEL_WORDS[level] for level in rule.levels)} suppressed"
        return text + (f", others rounded to the nearest {rule.round_to}" if rule.round_to > 1 else "")

    protected = rule_of_measure[rule_of_measure.map(lambda name: rules[name].suppress_up_to > 0)]
    parts = [f"{', '.join(sorted(measures.index))}: {words(rules[name])}" for name, measures in protected.groupby(protected)]
    parts.append(f"{'other measures' if parts else 'all measures'}: shown as counted")
    return ("Disclosure: " + "; ".join(parts) + ". Further counts are suppressed where a suppressed count could "
            "otherwise be worked out from totals. A suppressed value is blank ([c] in the workbook) and named in "
            "suppressed_columns.")


def table_notes(table: MartTable, district: District, areas: pd.DataFrame, windows: pd.DataFrame,
                disclosure: str) -> list[str]:
    return [table.description, f"Grain: {table.grain}", period_line(table, windows),
            rows_line(table, district, areas), disclosure]


def readme_frame(tables: list[MartTable], district: District, areas: pd.DataFrame, windows: pd.DataFrame,
                 disclosure: dict[str, str]) -> pd.DataFrame:
    """One row per table: the README sheet of the workbook and the `readme` table of the DuckDB file."""
    return pd.DataFrame([{
        "table_name": t.name, "title": t.title, "description": t.description, "grain": t.grain,
        "period": period_line(t, windows), "rows": rows_line(t, district, areas),
        "disclosure": disclosure[t.name], "parquet_file": f"parquet/{t.name}.parquet",
        "workbook": f"sheet {t.name}" if t.sheet else f"not in the workbook: {csv_file(t)}",
    } for t in tables])


def csv_file(table: MartTable) -> str:
    """The CSV file beside the workbook of a table that is not a sheet of it."""
    return f"{table.name}.csv"


def about_lines(district: District, area_name: str, marking: str, stamp_words: str) -> list[str]:
    return [
        f"{marking}: for the {district.name} Community Safety Partnership's strategic assessment only. "
        f"Do not share beyond the partnership, and keep it on systems cleared for {marking} data.",
        f"{district.name} ({district.lad_code}) district data mart, {area_name}: the district's own data at fine "
        f"grain; the county and other areas only as comparators at district level.",
        stamp_words,
    ]


def readme_markdown(district: District, about: list[str], files: dict[str, str], readme: pd.DataFrame,
                    marking: str) -> str:
    lines = [f"# {district.name} district data mart — {marking}", "", *(f"{line}\n" for line in about), "## Files", ""]
    lines += [f"- `{name}`: {what}" for name, what in files.items()]
    lines += ["", "## Tables", ""]
    for t in readme.itertuples():
        lines += [f"### `{t.table_name}`: {t.title}", "", t.description, "",
                  f"- {t.grain[0].upper()}{t.grain[1:]}", f"- {t.period}", f"- {t.rows}", f"- {t.disclosure}",
                  f"- Parquet: `{t.parquet_file}`; "
                  + (f"workbook sheet and DuckDB table `{t.table_name}`" if t.workbook.startswith("sheet ")
                     else f"CSV `{t.table_name}.csv` (too many rows for a workbook sheet) and DuckDB table "
                          f"`{t.table_name}`"), ""]
    lines += ["## Reading it", "",
              "- Every row of the DuckDB tables, Parquet and CSV files carries `protective_marking`; every workbook "
              "sheet states it in its first cell and in its header and footer, and the run on its last line above "
              "the table, rather than on every row.",
              "- A blank count with its column named in `suppressed_columns` was withheld by disclosure control "
              "(the workbook shows it as `[c]`); a blank count with `suppressed_columns` empty means there was no data "
              "for that month. A value worked out from a withheld count (a rolling total, a change, a p-value) is "
              "named there too, whether or not it has one.",
              "- Counts that are not small are hidden too, so that a small one hidden cannot be worked back from the "
              "totals shown beside it (secondary suppression, docs/disclosure.md): violence against the person beside "
              "a hidden count of sexual offences, say, or a whole month of a district's series. Where a series you "
              "need is mostly hidden, ask the county team, who hold the figures.",
              "- The q-values and verdicts are adjusted over the p-values the marts show (hidden ones left out, so that "
              "they give nothing hidden away): near the 0.05 line a verdict can differ from the county pack's for "
              "the same counts (docs/disclosure.md, \"In the tables\").",
              "- `run_manifest.json` lists every file with its sha256 checksum: `csp marts pull` copies the mart "
              "and refuses a copy that does not match.", "",
              f"**{marking}**", ""]
    return "\n".join(lines)

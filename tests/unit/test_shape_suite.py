"""A delivery suite restated on a batch's shape: strict where the delivery suite allows a share."""
from csp.validate import shape_columns, shape_suite

SPEC = {"name": "s.f", "meta": {}, "expectations": [
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    {"type": "expect_column_to_exist", "kwargs": {"column": "a"}},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "a", "value_set": ["x"], "mostly": 0.9}},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "b", "regex": "^[0-9]$", "mostly": 0.9}},
    {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "k", "mostly": 0.9}},
]}


def test_shape_suite_is_strict_and_counts_rows_and_repeats_per_file():
    shaped = shape_suite(SPEC)
    assert shaped["name"] == "s.f.batch" and shaped["meta"]["restates"] == "s.f"
    assert [(e["type"], e["kwargs"]) for e in shaped["expectations"]] == [
        ("expect_column_values_to_be_between", {"column": "rows in the file", "min_value": 1}),
        ("expect_column_to_exist", {"column": "a"}),
        ("expect_column_values_to_be_in_set", {"column": "a", "value_set": ["x"]}),
        ("expect_column_values_to_match_regex", {"column": "b", "regex": "^[0-9]$"}),
        ("expect_column_values_to_be_between", {"column": "rows repeating k in their file", "max_value": 0}),
    ]


def test_shares_suite_bounds_each_files_share_where_the_delivery_suite_allows_one():
    shaped = shape_suite({**SPEC, "expectations": [*SPEC["expectations"], {
        "type": "expect_column_values_to_be_in_set", "kwargs": {"column": "c", "value_set": ["y"]}}]}, shares=True)
    assert shaped["name"] == "s.f.batch_shares"
    assert [(e["type"], e["kwargs"]) for e in shaped["expectations"]] == [
        ("expect_column_values_to_be_between", {"column": "rows in the file", "min_value": 1}),
        ("expect_column_to_exist", {"column": "a"}),
        ("expect_column_values_to_be_between", {"column": "a: share of its file's values in the allowed set",
                                                "min_value": 0.9}),
        ("expect_column_values_to_be_between", {"column": "b: share of its file's values in the expected format",
                                                "min_value": 0.9}),
        ("expect_column_values_to_be_between", {"column": "k: share of its file's values not repeated in it",
                                                "min_value": 0.9}),
        ("expect_column_values_to_be_in_set", {"column": "c", "value_set": ["y"]}),   # no share allowed: strict
    ]
    assert shaped["expectations"][2]["meta"] == {"restates": SPEC["expectations"][2]}


def test_shape_columns():
    assert shape_columns(SPEC) == (["a", "b"], ["k"])


def test_data_docs_page_per_validation_run():
    from csp.publish.data_docs import pages

    rows = [(1, "s.f", "a.csv", "t1", "r1"), (2, "s.f.batch", "b.csv", "t2", "B"), (3, "s.f.batch", "c.csv", "t3", "B"),
            (4, "s.f", "d.csv", "t4", "r4"), (5, "s.f.batch", "e.csv", "t5", "B"), (6, "s.f.batch", "f.csv", "t6", "C"),
            (7, "s.f.batch_shares", "g.csv", "t7", "D"), (8, "s.f.batch_shares", "h.csv", "t8", "D")]
    assert pages(rows) == [(1, 1, 1, "s.f", "a.csv", "t1", "r1"), (2, 5, 3, "s.f.batch", "b.csv", "t2", "B"),
                           (4, 4, 1, "s.f", "d.csv", "t4", "r4"), (6, 6, 1, "s.f.batch", "f.csv", "t6", "C"),
                           (7, 8, 2, "s.f.batch_shares", "g.csv", "t7", "D")]

import csv

import pytest
from django.core.management import CommandError, call_command

from commitments.suggestions.real_evaluation import figure, read_ogp_file

HEADER = ["Commitment Unique Identifier", "Commitment Title", "Full Text", "Gender", "Data Stewardship and Privacy"]


def write_export(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_tags_become_the_truth_and_never_the_text(tmp_path):
    path = write_export(
        tmp_path / "export.csv",
        [
            ["X1", "Open budget", "Publish the budget in open formats.", "0", "1"],
            ["X2", "A data protection law", "Adopt a data protection law with an authority.", "0", "0"],
            ["X3", "Gender budgeting", "Introduce gender budgeting and publish a gender budget statement.", "1", "0"],
        ],
    )
    records = read_ogp_file(path)
    assert [sorted(record.truth) for record in records] == [
        ["cta2019-digital-democracy-2"],
        [],
        ["cta2019-gender-inclusion-2"],
    ]
    assert all("Data Stewardship" not in record.full_text + record.title for record in records)
    call_command("evaluate_suggestions", "--ogp-file", str(path), "--no-model")


def test_the_command_scores_text_against_the_tags_per_era_and_item(tmp_path, capsys):
    path = write_export(
        tmp_path / "export.csv",
        [
            ["X1", "Open budget", "Publish the budget in open formats.", "0", "1"],
            ["X2", "A data protection law", "Adopt a data protection law with an authority.", "0", "0"],
            ["X3", "Gender budgeting", "Introduce gender budgeting and publish a gender budget statement.", "1", "0"],
        ],
    )
    call_command("evaluate_suggestions", "--ogp-file", str(path), "--no-model", "--errors")
    out = capsys.readouterr().out
    digital = next(line for line in out.splitlines() if line.startswith("  digital-democracy "))
    assert "(tp=0 fp=1 fn=1)" in digital
    gender = next(line for line in out.splitlines() if line.startswith("  cta2019-gender-inclusion-2 "))
    assert "(tp=1 fp=0 fn=0)" in gender and "F1=1.00 [" in gender
    assert "fn digital-democracy  X1" in out


def test_a_file_without_text_or_tags_is_refused_with_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Commitment Unique Identifier,Commitment Title\nX1,Budget\n", encoding="utf-8")
    with pytest.raises(CommandError, match="needs the columns"):
        call_command("evaluate_suggestions", "--ogp-file", str(bad))
    untagged = tmp_path / "untagged.csv"
    untagged.write_text("Commitment Unique Identifier,Commitment Title,Full Text\nX1,Budget,Text\n", encoding="utf-8")
    with pytest.raises(CommandError, match="policy-area columns"):
        call_command("evaluate_suggestions", "--ogp-file", str(untagged))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate_suggestions", "--ogp-file", str(tmp_path / "missing.csv"))


def test_the_bootstrap_interval_surrounds_the_figure_and_narrows_with_more_commitments():
    few = figure("x", [(True, True), (True, False), (False, True), (False, False)] * 5, samples=300)
    many = figure("x", [(True, True), (True, False), (False, True), (False, False)] * 100, samples=300)
    low, high = few.intervals[2]
    assert low < few.f1 < high
    assert many.intervals[2][1] - many.intervals[2][0] < high - low

"""`run.py us-china --third-pole`: the US-China simulation with a third superpower, on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

import run as cli
from pipeline import us_china as pipe


@pytest.fixture(scope="module")
def india(tmp_path_factory):
    out = tmp_path_factory.mktemp("poles") / "india"
    assert cli.main(["us-china", "--third-pole", "IND", "--years", "2006-2007", "--quiet", "--out", str(out)]) == 0
    return out


def test_three_clubs_every_year_and_the_comparison_with_two_poles(india):
    clubs = pd.read_csv(india / "poles_clubs.csv")
    assert set(clubs["pole"]) == {pipe.US, pipe.CN, pipe.IND} and set(clubs["year"]) == {2006, 2007}
    members = pd.read_csv(india / "poles_members.csv")
    assert "IND" not in set(members["iso3"])  # India is a superpower now, not a member
    per_year = members.groupby("year")["club"].value_counts().unstack(fill_value=0)
    for _, r in clubs.iterrows():  # the clubs table counts the members table
        assert per_year.loc[r["year"], r["pole"]] == r["members"]
    changes = pd.read_csv(india / "poles_vs_two_poles.csv")
    assert {"US members", "China members", "India members"} <= set(changes.columns)
    assert (changes["India members"] > 0).all()  # India's club forms, with members taken from the other clubs
    assert (changes["US members"] + changes["China members"] <= 0).all()
    assert (india / "poles_figure.png").stat().st_size > 0


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--third-pole", "BRA"], "invalid choice"),
        (["--third-pole", "IND", "--trade", "mirror"], "--trade mirror applies only without --third-pole"),
        (["--third-pole", "IND", "--india-gdp-scale", "2"], "--india-gdp-scale applies only without --third-pole"),
        (["--third-pole", "EU", "--no-compare-sources"], "--compare-sources applies only without --third-pole"),
        (["--third-pole", "IND", "--grid", "5"], "5 is outside the allowed range [10, 2000]"),
    ],
)
def test_options_that_do_not_apply_to_a_third_pole_are_refused(tmp_path, capsys, extra, message):
    assert cli.main(["us-china", *extra, "--years", "2006-2006", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()

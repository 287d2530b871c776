"""Gambit .efg export: well-formed, parses back, node and outcome counts as expected."""

from __future__ import annotations

from fractions import Fraction

import pytest

from games.alliance import demand_grid, offer_grid, parse_efg, to_efg, write_efg
from games.alliance.efg import expected_counts
from games.alliance.examples import example


@pytest.mark.parametrize("n_demands, n_offers", [(1, 2), (3, 6), (5, 10)])
def test_export_parses_back_with_the_expected_tree(n_demands, n_offers):
    params = example("japan-2019")
    text = to_efg(params, n_demands=n_demands, n_offers=n_offers)
    info = parse_efg(text)
    nd, no = len(demand_grid(params, n_demands)), len(offer_grid(params, n_offers))
    expected = expected_counts(nd, no)
    assert info["players"] == ["A (patron)", "T (protege)", "C (challenger)"]
    assert (info["chance"], info["player"], info["terminal"]) == (expected["chance"], expected["player"], expected["terminal"])
    assert info["outcomes"] == info["terminal"]
    # C cannot tell the types apart: one information set per negotiation history
    assert info["infosets"][3] == 1 + 3 * nd
    # A's and T's information sets are per type: every A/T node is its own information set
    assert info["infosets"][1] + info["infosets"][2] == info["player"] - 2 * (1 + 3 * nd)


def test_export_header_probabilities_and_exact_payoffs():
    params = example("japan-1978")
    text = to_efg(params, demands=[Fraction(1, 4)], offers=[Fraction(1, 2)])
    lines = text.splitlines()
    assert lines[0].startswith('EFG 2 R "Alliance cost-sharing game" {')
    assert 'c "" 1 "nature" { "committed" 1/2 "uncommitted" 1/2 } 0' in text
    # committed, no offer, x = 1/2 accepted: A gets beta_high x - pi = 2/5 - 11/100, T 1/2, C 1/2
    assert 't "" 1 "committed: no offer, settle x=1/2" { 29/100, 1/2, 1/2 }' in text


def test_write_efg_and_malformed_files(tmp_path):
    path = write_efg(tmp_path / "sub" / "game.efg", example("japan-1978"), n_demands=1, n_offers=2)
    text = path.read_text()
    assert parse_efg(text)["terminal"] > 0
    with pytest.raises(ValueError, match="header"):
        parse_efg(text.replace("EFG 2 R", "NFG 1 R", 1))
    truncated = "\n".join(text.splitlines()[:-1])
    with pytest.raises(ValueError, match="tree ends early"):
        parse_efg(truncated)

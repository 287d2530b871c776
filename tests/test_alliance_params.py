"""Parameters of the alliance game: validation (errors name the parameter), assumptions, exactness."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from games.alliance import AllianceParams
from games.alliance.examples import EXAMPLES, example
from games.validation import SpheresInputError

BASE = dict(EXAMPLES["japan-1978"])


def make(**changes):
    return AllianceParams(**{**BASE, **changes})


@pytest.mark.parametrize(
    "name, value",
    [
        ("beta_low", 0.0), ("beta_low", 1.0), ("beta_high", 1.2), ("phi", 0.0), ("phi", 1.0), ("pi", 0.0),
        ("pi", -0.1), ("a_bar", 0.0), ("l", -1.0), ("l", 1.0), ("p_l", 0.0), ("p_h", 1.0), ("c_T", 0.0),
        ("c_C", -1.0), ("c_A", 0.0), ("phi", float("nan")), ("pi", "abc"), ("l", True),
    ],
)
def test_bad_parameter_is_named_with_its_range(name, value):
    with pytest.raises(SpheresInputError) as err:
        make(**{name: value})
    assert name in str(err.value)


def test_out_of_range_message_gives_the_range():
    with pytest.raises(SpheresInputError, match=r"phi = 1\.5 is outside the allowed range \(0, 1\)"):
        make(phi=1.5)
    with pytest.raises(SpheresInputError, match=r"pi = -1/3 \(~-0.333333\) is outside the allowed range \(0, inf\)"):
        make(pi=Fraction(-1, 3))


def test_orderings_are_checked():
    with pytest.raises(SpheresInputError, match="beta_low .* must be below beta_high"):
        make(beta_low=0.9, beta_high=0.8)
    with pytest.raises(SpheresInputError, match="p_l .* must be below p_m"):
        make(p_l=0.45)
    with pytest.raises(SpheresInputError, match="p_m .* must be below p_h"):
        make(p_m=0.6)


def test_assumption_1_is_named_and_can_be_switched_off():
    with pytest.raises(SpheresInputError, match=r"assumption \(1\) p_l > c_T"):
        make(c_T=0.31)
    params = make(c_T=0.31, check_assumptions=False)
    assert params.violated_assumptions() and "assumption (1)" in params.violated_assumptions()[0]


@pytest.mark.parametrize("c_A", [0.01, 0.07])  # below beta_low (p_m - p_l) = 0.025 / above beta_low a* = 0.0625
def test_assumption_2_is_named_and_can_be_switched_off(c_A):
    with pytest.raises(SpheresInputError, match=r"assumption \(2\).*check_assumptions=False"):
        make(c_A=c_A)
    assert make(c_A=c_A, check_assumptions=False).c_A == Fraction(str(c_A))


def test_floats_are_read_as_decimals_so_ties_are_exact():
    params = make(p_h=0.55, p_l=0.3)
    assert params.a_star == Fraction(1, 4)  # 0.55 - 0.3 in binary floats is 0.25000000000000006
    assert 0.55 - 0.3 != 0.25


def test_derived_quantities():
    p = example("japan-2019")
    assert p.a_star == Fraction(1, 4)
    assert p.l_star == (Fraction(13, 10) * Fraction(1, 4) - Fraction(1, 10)) / Fraction(3, 4) == Fraction(3, 10)
    assert p.pi_low == Fraction(3, 40) and p.pi_high == Fraction(13, 100)
    assert p.mu_hat == Fraction(1, 10) / (Fraction(1, 10) + Fraction(5, 100) + Fraction(1, 10))
    assert make(a_bar=0.25).l_star is None  # a_bar = a*: l* undefined


def test_from_mapping_rejects_unknown_and_missing_keys():
    with pytest.raises(SpheresInputError, match="unknown alliance parameter.*gamma"):
        AllianceParams.from_mapping({**BASE, "gamma": 1})
    partial = dict(BASE)
    del partial["pi"]
    with pytest.raises(SpheresInputError, match="missing alliance parameter.*pi"):
        AllianceParams.from_mapping(partial)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["phi", "beta_low", "p_l", "l"]), st.floats(min_value=1.0, max_value=1e6))
def test_values_at_or_above_one_are_rejected(name, value):
    with pytest.raises(SpheresInputError, match=name):
        make(**{name: value})

"""Bad input to the club game: a clear error naming the parameter and its range, before any work."""

import math

import pytest

from games.club import CostShare, World, solve
from games.club.examples import world_by_name
from games.validation import SpheresInputError


def line(**overrides):
    args = dict(positions=[0.2, 0.5], g_a=[0.5, 0.5], g_b=[0.5, 0.5], omega=[1.0, 1.0])
    args.update(overrides)
    return World.on_line(**args)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"g_a": [0.5, 1.2]}, r"g_a\[1\] = 1.2 is outside the allowed range \[0, 1\]"),
        ({"g_b": [-0.1, 0.5]}, r"g_b\[0\] = -0.1 is outside the allowed range \[0, 1\]"),
        ({"omega": [1.0, 0.0]}, r"omega\[1\] = 0.0 is outside the allowed range \(0, inf\)"),
        ({"omega": [1.0, -2.0]}, r"omega\[1\]"),
        ({"omega_a": 0.0}, r"omega_a = 0.0 is outside the allowed range \(0, inf\)"),
        ({"positions": [0.2, 1.5]}, r"positions\[1\] = 1.5 is outside the allowed range \[0, 1\]"),
        ({"g_a": [0.5, 0.5, 0.5]}, "g_a must have length 2, got 3"),
        ({"omega": [1.0]}, "omega must have length 2, got 1"),
        ({"positions": []}, "at least one non-superpower"),
        ({"locations": []}, "must not be empty"),
        ({"g_a": [0.5, math.nan]}, r"g_a contains NaN \(at index \[1\]\)"),
        ({"home_a": 2.0}, r"home_a = 2.0 is outside the allowed range \[0, 1\]"),
        ({"names": ["x"]}, "names must have length 2"),
        ({"cost_share": "progressive"}, "cost_share = 'progressive' is not one of: proportional, equal"),
    ],
)
def test_bad_world_parameters_are_named(overrides, message):
    with pytest.raises(SpheresInputError, match=message):
        line(**overrides)


def test_cost_share_exponent_range():
    with pytest.raises(SpheresInputError, match=r"cost_share.gamma = 3 is outside the allowed range \[0, 2\]"):
        CostShare(3)


def test_a_location_outside_L_is_named():
    w = line(locations=[0.0, 0.5, 1.0])
    assert w.location_index(0.5) == 1
    with pytest.raises(SpheresInputError, match=r"location 0.3 is not in L \(the 3 candidate locations\)"):
        w.location_index(0.3)


def test_metric_worlds_check_distances():
    with pytest.raises(SpheresInputError, match=r"distance\[0, 0\] = 2.0 is outside the allowed range \[0, 1\]"):
        World.from_metric(["x"], ["y"], "x", "y", lambda p, q: 2.0, 0.5, 0.5)
    with pytest.raises(SpheresInputError, match="candidates"):
        World.from_metric(["x"], [], "x", "y", lambda p, q: 0.0, 0.5, 0.5)


def test_metric_worlds_solve_like_the_line():
    """A general finite metric space (here: the line, written as one) gives the same equilibrium."""
    pts, locs = [0.25, 0.5, 0.75], [0.0, 0.25, 0.5, 0.75, 1.0]
    metric = World.from_metric(pts, locs, 0.0, 1.0, lambda p, q: abs(p - q), 0.5, 0.5)
    o = solve(metric)
    assert metric.locations[o.index_a] == 0.5 and o.index_b is None


def test_section3_world_checks_n():
    with pytest.raises(SpheresInputError, match=r"n = 1 is outside the allowed range \[2, inf\]"):
        World.symmetric(1, 0.5)
    with pytest.raises(SpheresInputError, match="world = 'x' is not one of"):
        world_by_name("x")


def test_second_tie_break_A3_first_location_in_L():
    """Home at 0.2, equal payoffs at 0.1 and 0.3 (equally far from home): the first in L wins."""
    w = World.on_line([0.1, 0.3], [0.5, 0.5], [0.0, 0.0], home_a=0.2, home_b=1.0, locations=[0.1, 0.3])
    # floating point: |0.1 - 0.2| and |0.3 - 0.2| differ in the last bit; A1 must see them as equal
    assert w.home_distance_a[0] != w.home_distance_a[1]
    o = solve(w)
    assert o.location_a == 0.1
    flipped = World.on_line([0.1, 0.3], [0.5, 0.5], [0.0, 0.0], home_a=0.2, home_b=1.0, locations=[0.3, 0.1])
    assert solve(flipped).location_a == 0.3  # "first in L", not "leftmost" as such


def test_A1_prefers_home_among_equal_payoffs():
    # one country at 0.5 that joins from anywhere: a's payoff falls with distance, so a stays home
    w = World.on_line([0.5], [1.0], [0.0], home_a=0.0, locations=[0.0, 0.5])
    assert solve(w).location_a == 0.0


def test_A2_no_club_at_zero_payoff():
    # at home with its one member a gets 1 - 0 - 1/2 = 1/2 > 0: a club ...
    w = World.on_line([0.0], [1.0], [0.0], locations=[0.0])
    assert solve(w).index_a == 0
    # ... but if its only location is 1/2 from home, a gets 1 - 1/2 - 1/2 = 0: no club (A2)
    w = World.on_line([0.5], [1.0], [0.0], omega=[1.0], home_a=0.0, locations=[0.5])
    assert solve(w).index_a is None


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: World.symmetric("abc", 0.5), "n = 'abc' must be an integer"),
        (lambda: World.symmetric(31.7, 0.5), "n = 31.7 must be an integer"),
        (lambda: World.symmetric(None, 0.5), "n = None must be an integer"),
        (lambda: World.symmetric(11, math.nan), "g_a contains NaN"),
        (lambda: World.symmetric(11, None), "g_a must be a number or one number per country, got None"),
        (lambda: World.symmetric(100000, 0.5), "the world is too large: it needs about"),
        (lambda: World.on_line(None, 0.5, 0.5), "positions must be numeric, got None"),
        (lambda: World.on_line([0.1, "x"], 0.5, 0.5), "positions must be numeric"),
        (lambda: World.on_line([0.1], 0.5, 0.5, omega_a="big"), "omega_a must be a number"),
        (lambda: World.on_line([0.1], 0.5, 0.5, omega_a=math.inf), r"omega_a = inf is outside the allowed range \(0, inf\)"),
        (lambda: World.from_metric([1], [1], 0, 1, None, 0.5, 0.5), "distance must be a function"),
        (lambda: World.symmetric(5, 0.5).with_omega(-1, 2.0), r"country index = -1 is outside the allowed range \[0, 3\]"),
        (lambda: World.symmetric(5, 0.5).with_omega(1.5, 2.0), "country index = 1.5 must be an integer"),
        (lambda: World.symmetric(5, 0.5).with_omega(0, -1), "omega of country 1"),
        (lambda: World.symmetric(5, 0.5).replace(colour=1), r"unknown field\(s\) \['colour'\]"),
    ],
)
def test_bad_world_arguments_are_one_spheres_input_error(build, message):
    with pytest.raises(SpheresInputError, match=message):
        build()


def test_named_locations_of_a_general_metric():
    """Locations may be labels, not coordinates: the solver, the outcome and the model carry them."""
    from model import ClubModel

    near = {("x", "n"), ("y", "s"), ("n", "n"), ("s", "s")}
    w = World.from_metric(["x", "y"], ["n", "s"], "n", "s", lambda p, q: 0.0 if (p, q) in near else 1.0, 0.9, 0.9)
    out = solve(w)
    assert (out.location_a, out.location_b) == ("n", "s") and "a: l=n" in out.summary()
    model = ClubModel(w, rng=0)
    model.run_to_end()
    assert (model.location("a"), model.location("b")) == ("n", "s")

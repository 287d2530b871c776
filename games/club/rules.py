"""The rules of the club game: one interface per role, and the built-in rules as ordinary implementations.

A rule decides what one player does; the Mesa agents hold one each and the solver's
backward induction asks the *same* rule objects, on batches, what every player would do.
Nothing about a particular rule is written into the solver: it only reads the interface
below (and the properties a rule declares, which let it take a faster exact path).

Non-superpowers (:class:`NonSuperpowerRule`)
--------------------------------------------
``accepts(now, there, proposal)``
    Does the country join club ``proposal.club`` as part of the proposed group? ``now`` is
    its payoff where it is (0 outside every club), ``there`` its payoff in the club with the
    group, ``proposal`` the club (see :class:`Proposal`). Arrays in, a boolean array out:
    the agents call it with single numbers, the solver with a batch.
``moves``
    ``"together"``: it counts on the whole proposed group joining with it (the paper: binding
    treaties); ``"alone"``: it only counts itself (a unilateral, Nash-style move).
``may_join(club, current, origin)``
    May it join ``club`` at all, given its club now and the club it was in when this stage
    began? (The paper: yes. ``loyal``: not when it belonged to an earlier club.)
``monotone`` (declared)
    "If I accept a club of weight X, I accept any heavier one." Then the group a round
    forms is the *greatest* group in which everyone accepts (as in Lemmas 1 and 2). Without
    it, the group is whatever the proposal-and-withdrawal rounds leave (propose everyone,
    drop who declines, ask again), which the agents and the solver both compute.

:class:`PayoffRule` is the paper's kind of rule: it accepts iff its payoff there is
non-negative and reaches a *bar* (its payoff now, strictly, if it is in a club; 0 outside).
A rule that only changes the bar (``bar(now, proposal)``, which must never fall when
``now`` rises), ``moves`` or ``may_join`` keeps the solver's fastest path: each country's
acceptance is then a threshold on the club's weight, and the largest group is found in one
sorted pass. A rule that overrides ``accepts`` itself is run through the rounds.

Superpowers (:class:`SuperpowerRule`)
-------------------------------------
``locations(world, k)``
    Where it may place its good: indices into L (any subset; may depend on the world).
``objective(view)``
    What it maximises over the outcomes its choice leads to: an array (or a tuple of arrays,
    compared in order) over the rows of a :class:`ClubView`. Default: its payoff (HU).
``anticipates``
    Does it foresee the later superpowers' replies (backward induction) or judge each
    location by the clubs right after its own stage (myopic)? The last mover's flag changes
    nothing.
``forms_club(view, value)`` / ``tie_break(view, tied)``
    The paper's A2 (no club unless the best value is positive) and A1 (the location closest
    to home), then our A3 (the first in L) for equal payoffs at equal distance.
``monotone`` (declared)
    "My objective never decreases when members join my club at a fixed location." Then the
    solver may bound a location by the largest club it could hold there and skip locations
    whose bound cannot win (pruning); without it, every candidate is evaluated.

A declared property holds only where it was declared: if a subclass overrides
``objective`` (or ``accepts``/``bar``) below the class that declared ``monotone``
(or the bar), the declaration does not carry over and the solver takes the exact path
that needs no declaration (:func:`declares`). Nothing is ever silently replaced.

Register a rule by name with :func:`games.registry.register`; ``docs/rules.md`` has a
worked example for each role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np

from games import registry
from games.club.core import TOL, prefers, superpower_payoff
from games.validation import SpheresInputError

if TYPE_CHECKING:
    from games.club.core import World

NO_CLUB = -1
"""The club index of 'no club' (and the location index of a superpower that forms none)."""

DISTANCE_TOL = 1e-12
"""Two locations are equally far from home when their distances differ by less than this (A1/A3)."""

__all__ = [
    "NO_CLUB", "DISTANCE_TOL", "Proposal", "ClubView", "NonSuperpowerRule", "PayoffRule", "SuperpowerRule",
    "Coalition", "Unilateral", "Loyal", "EquilibriumSuperpower", "HomeSuperpower", "MyopicSuperpower",
    "SizeSuperpower", "declares", "uses_thresholds",
]


# =========================================================================== non-superpowers
class Proposal:
    """A club a country is asked to join, as that country sees it (every field broadcasts with ``now``).

    club:          the superpower whose club it is (0 = the first mover a, 1 = b, ...)
    location:      index in L of that club's good
    distance:      the country's distance to the good, d(i, l) in [0, 1]
    weight:        the club's weight with the group, as the country counts it (its cost share
                   is its own weight over this); a country that moves alone counts only itself
    size:          members of the club with the group, as the country counts it
    current:       the club it is in now (``NO_CLUB``: none)
    current_size:  members of its current club (0 if none)
    origin:        the club it was in when this stage began (``NO_CLUB``: none)
    own_weight:    its own cost-share weight (omega ** gamma)

    A :class:`PayoffRule`'s ``bar`` is asked before the group is known, so it must not read
    ``weight`` or ``size`` (doing so raises); a rule that needs them overrides ``accepts``.
    """

    __slots__ = ("club", "location", "distance", "_weight", "_size", "current", "current_size", "origin", "own_weight")

    def __init__(self, club, location, distance, weight, size, current, current_size, origin, own_weight):
        self.club, self.location, self.distance = club, location, distance
        self._weight, self._size = weight, size
        self.current, self.current_size, self.origin, self.own_weight = current, current_size, origin, own_weight

    def _group_dependent(self, what):
        raise SpheresInputError(
            f"a PayoffRule's bar() read proposal.{what}, which is not known yet when the bar is asked "
            "(it is what the group search solves for): override accepts() instead"
        )

    @property
    def weight(self):
        return self._group_dependent("weight") if self._weight is None else self._weight

    @property
    def size(self):
        return self._group_dependent("size") if self._size is None else self._size

    @property
    def in_club(self):
        """Is the country in a club now (boolean array)?"""
        return np.asarray(self.current) != NO_CLUB

    def take(self, cols) -> Proposal:
        """The proposal restricted to some countries (columns of the batched arrays)."""
        def pick(x):
            return x[:, cols] if np.ndim(x) == 2 and np.shape(x)[1] > 1 else x

        return Proposal(self.club, pick(self.location), pick(self.distance), None if self._weight is None else pick(self._weight),
                        None if self._size is None else pick(self._size), pick(self.current), pick(self.current_size),
                        pick(self.origin), pick(self.own_weight))


class NonSuperpowerRule:
    """How a non-superpower takes part in the coalition processes (see the module docstring)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    moves: ClassVar[Literal["together", "alone"]] = "together"
    monotone: ClassVar[bool] = False

    def accepts(self, now, there, proposal: Proposal):
        raise NotImplementedError(f"{type(self).__name__} must define accepts(now, there, proposal)")

    def may_join(self, club: int, current, origin):
        """May the country join ``club`` (given its club now and at the start of the stage)?"""
        return np.ones(np.shape(current), dtype=bool)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class PayoffRule(NonSuperpowerRule):
    """Accepts iff its payoff there is non-negative and reaches its bar (the paper's test, eq. 1-2).

    ``bar(now, proposal)`` returns ``(bar, strict)``: the payoff it must reach there, and
    whether it must beat it strictly. The paper: its payoff now, strictly, if it is in a club
    (it moves only when strictly better off); 0, weakly, outside every club. A bar must
    never fall when ``now`` rises (the solver's bounds rely on it).
    """

    monotone: ClassVar[bool] = True

    def bar(self, now, proposal: Proposal):
        in_club = proposal.in_club
        return np.where(in_club, now, 0.0), in_club

    def accepts(self, now, there, proposal: Proposal):
        bar, strict = self.bar(now, proposal)
        return prefers(there, bar, strict)


class Coalition(PayoffRule):
    """The paper: join and shift in coordinated groups whenever everyone in the group gains."""

    name = "coalition"
    description = "the paper: join and shift in coordinated groups (default)"


class Unilateral(PayoffRule):
    """Joins or shifts only when moving alone pays (no coordination)."""

    name = "unilateral"
    description = "join or shift one at a time, only if moving alone pays"
    moves = "alone"


class Loyal(PayoffRule):
    """Never leaves the club it was in when the stage began for a later club (it may still leave for no club)."""

    name = "loyal"
    description = "never defect from a's stage-one club to b's"

    def may_join(self, club, current, origin):
        return np.asarray(origin) == NO_CLUB


# =========================================================================== superpowers
class ClubView:
    """A batch of outcomes seen by one superpower ``k``: one row per outcome.

    Rows come in groups (``group``: one decision each, e.g. one per world in a sweep); a
    superpower picks one row per group. Arrays (R rows, N countries, K superpowers):

    ``location`` (R,) index in L of k's good (``NO_CLUB``: none); ``members`` (R, N) its
    club; ``state`` (R, N) every country's club (``NO_CLUB``: none); ``locations`` (R, K)
    every superpower's location (``NO_CLUB``: none or not yet placed); ``payoff`` (HU),
    ``size``, ``weight`` (the cost-share denominator), ``endowment`` (its own endowment plus
    its members'), ``home_distance`` (R,); ``world_index`` (R,) the world of each row, and
    ``worlds`` the worlds (``world`` when there is one).
    """

    def __init__(self, batch, k: int, world_index, state, locations, group=None):
        self.batch = batch
        self.k = int(k)
        self.world_index = np.asarray(world_index)
        self.state = np.asarray(state)
        self.locations = np.asarray(locations)
        self.location = self.locations[:, self.k]
        self.group = np.zeros(len(self.location), dtype=np.int64) if group is None else np.asarray(group)
        self._cache: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.location)

    @property
    def worlds(self) -> list:
        return self.batch.worlds

    @property
    def world(self) -> World:
        """The world of the rows (the first one in a batch of several)."""
        return self.batch.worlds[int(self.world_index[0]) if len(self.world_index) else 0]

    def _get(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    @property
    def formed(self) -> np.ndarray:
        return self.location != NO_CLUB

    @property
    def members(self) -> np.ndarray:
        return self._get("members", lambda: self.state == self.k)

    @property
    def size(self) -> np.ndarray:
        return self._get("size", lambda: self.members.sum(axis=-1))

    @property
    def weight(self) -> np.ndarray:
        b, wi = self.batch, self.world_index
        return self._get("weight", lambda: b.sp_weight[wi, self.k] + np.sum(np.where(self.members, b.weight[wi], 0.0), axis=-1))

    @property
    def endowment(self) -> np.ndarray:
        b, wi = self.batch, self.world_index
        return self._get("endowment", lambda: np.where(self.formed, b.sp_omega[wi, self.k], 0.0)
                         + np.sum(np.where(self.members, b.omega[wi], 0.0), axis=-1))

    @property
    def home_distance(self) -> np.ndarray:
        return self._get("home_distance", lambda: self.batch.home_distance_of(
            self.world_index, self.k, np.where(self.formed, self.location, 0)))

    @property
    def payoff(self) -> np.ndarray:
        def fn():
            w_e = self.batch.sp_weight[self.world_index, self.k]
            return np.where(self.formed, superpower_payoff(self.home_distance, w_e, self.weight), 0.0)

        return self._get("payoff", fn)


class SuperpowerRule:
    """How a superpower places its club good (see the module docstring)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    anticipates: ClassVar[bool] = True
    monotone: ClassVar[bool] = False

    def locations(self, world: World, k: int) -> np.ndarray:
        """Indices into L where it may place its good (default: all of L)."""
        return np.arange(world.n_locations)

    def objective(self, view: ClubView):
        """The value of each outcome (row) to this superpower; default its payoff (HU)."""
        return view.payoff

    def forms_club(self, view: ClubView, value) -> np.ndarray:
        """A2: a club only where its value is positive (rows of ``view``)."""
        primary = value[0] if isinstance(value, tuple) else value
        return np.asarray(primary) > TOL

    def tie_break(self, view: ClubView, tied: np.ndarray) -> np.ndarray:
        """Among the rows ``tied`` (equally good, a boolean mask), one per group: A1 the closest to
        home, then A3 the first in L. Returns a boolean mask with exactly one row per tied group."""
        groups = view.group
        n_groups = int(groups.max()) + 1 if len(groups) else 0
        dist = np.where(tied, view.home_distance, np.inf)
        nearest = np.full(n_groups, np.inf)
        np.minimum.at(nearest, groups, dist)
        near = tied & (dist <= nearest[groups] + DISTANCE_TOL)
        first = np.full(n_groups, np.iinfo(np.int64).max)
        np.minimum.at(first, groups, np.where(near, view.location, np.iinfo(np.int64).max))
        return near & (view.location == first[groups])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class EquilibriumSuperpower(SuperpowerRule):
    """Backward induction on its payoff (HU) with the tie-breaks A1, A2 (and A3)."""

    name = "equilibrium"
    description = "backward induction with tie-breaks A1, A2 (default)"
    monotone = True


class HomeSuperpower(EquilibriumSuperpower):
    """Never compromises: its good at home, or no club."""

    name = "home"
    description = "never compromise: club good at home or no club"

    def locations(self, world, k):
        return np.array([world.home_index(k)])


class MyopicSuperpower(EquilibriumSuperpower):
    """Places its good as if no superpower moved after it (for the last mover this changes nothing)."""

    name = "myopic"
    description = "the leader ignores the challenger's reply"
    anticipates = False


class SizeSuperpower(SuperpowerRule):
    """Maximises the number of members (ties by payoff), forming a club whenever it gets one."""

    name = "size"
    description = "maximise the number of members, not the payoff"
    monotone = True

    def objective(self, view):
        return (view.size.astype(float), view.payoff)

    def forms_club(self, view, value):
        return view.size >= 1


# =========================================================================== declarations
def _defining_class(cls: type, attr: str) -> type | None:
    for klass in cls.__mro__:
        if attr in vars(klass):
            return klass
    return None


def declares(rule, prop: str, depends_on: tuple[str, ...]) -> bool:
    """Does ``rule`` declare ``prop`` for the methods it actually uses?

    True iff ``prop`` is true and was declared in a class at least as derived as every class
    that defines one of ``depends_on``: a subclass that overrides ``objective`` under a
    ``monotone = True`` it inherited has not declared anything about its own objective.
    """
    if not getattr(rule, prop, False):
        return False
    cls = type(rule)
    where = _defining_class(cls, prop)
    for method in depends_on:
        owner = _defining_class(cls, method)
        if owner is not None and not issubclass(where, owner):
            return False
    return True


def uses_thresholds(rule: NonSuperpowerRule) -> bool:
    """Is the rule's acceptance a threshold on the club's weight (a :class:`PayoffRule` whose ``accepts`` is the bar test)?"""
    return isinstance(rule, PayoffRule) and _defining_class(type(rule), "accepts") is PayoffRule


def superpower_is_monotone(rule: SuperpowerRule) -> bool:
    return declares(rule, "monotone", ("objective",))


# =========================================================================== the registry
registry.define_role("superpower", SuperpowerRule)
registry.define_role("non-superpower", NonSuperpowerRule)
for _rule in (EquilibriumSuperpower, HomeSuperpower, MyopicSuperpower, SizeSuperpower):
    registry.register(_rule, _builtin_rule=True)
for _rule in (Coalition, Unilateral, Loyal):
    registry.register(_rule, _builtin_rule=True)

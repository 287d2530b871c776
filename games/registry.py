"""Rules by name, for every role of both games: the one registry that user code adds to.

A *rule* decides what one agent does (as a strategy does in the Axelrod library). Each role
has a base class that documents its interface (see ``docs/rules.md``):

=================  =====================================  ============
role               base class                             game
=================  =====================================  ============
``superpower``     ``games.club.rules.SuperpowerRule``    club
``non-superpower`` ``games.club.rules.NonSuperpowerRule`` club
``patron``         ``games.alliance.rules.PatronRule``    alliance
``protege``        ``games.alliance.rules.ProtegeRule``   alliance
``challenger``     ``games.alliance.rules.ChallengerRule`` alliance
=================  =====================================  ============

Each game module declares its roles (:func:`define_role`) and registers its built-in rules
when it is imported; the registry imports both game modules the first time it is asked, so
``names("superpower")`` always lists the built-ins. User code registers its own rules with
the decorator or the function form::

    from games.registry import register
    from games.club.rules import EquilibriumSuperpower

    @register
    class NearHome(EquilibriumSuperpower):
        name = "near-home"
        ...

    register(NearHome(radius=0.1), name="near-home-0.1")   # a parameterised instance

A class is instantiated with no arguments each time it is looked up; an instance is returned
as it is (rules hold no state of a game, so one instance may serve many agents).
:func:`load_rules_module` imports a user's ``.py`` file (the CLI's ``--rules-module``), whose
``register`` calls then make its rules available by name everywhere: the models, every
command that takes rules, the sweeps and experiments, and the visual server's dropdowns.

Bad input (an object that is not a rule, a rule of the wrong role, an unknown name, a module
that fails to import) raises ``SpheresInputError`` with one line naming it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path

from games.validation import SpheresInputError

__all__ = [
    "ROLES", "define_role", "register", "unregister", "names", "get", "coerce", "base_class",
    "load_rules_module", "describe",
]

ROLES: dict[str, str] = {
    "superpower": "club",
    "non-superpower": "club",
    "patron": "alliance",
    "protege": "alliance",
    "challenger": "alliance",
}
"""Every role a rule can play, and its game."""

_GAME_MODULES = {"club": "games.club.rules", "alliance": "games.alliance.rules"}
_bases: dict[str, type] = {}
_rules: dict[str, dict[str, object]] = {role: {} for role in ROLES}
_builtin: dict[str, set[str]] = {role: set() for role in ROLES}


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise SpheresInputError(f"role = {role!r} is not one of: {', '.join(ROLES)}")
    return role


def _load(role: str) -> None:
    """Import the game module that defines ``role`` (it registers its built-ins)."""
    if role not in _bases:
        importlib.import_module(_GAME_MODULES[ROLES[role]])
    if role not in _bases:  # pragma: no cover - a game module that forgot define_role
        raise RuntimeError(f"{_GAME_MODULES[ROLES[role]]} did not define the role {role!r}")


def define_role(role: str, base: type) -> None:
    """Declare the base class of ``role`` (called once by each game module)."""
    _bases[_check_role(role)] = base


def base_class(role: str) -> type:
    """The interface every rule of ``role`` implements."""
    _load(_check_role(role))
    return _bases[role]


def _role_of(rule) -> str | None:
    cls = rule if isinstance(rule, type) else type(rule)
    for role in ROLES:
        if role not in _bases:
            _load(role)
        if issubclass(cls, _bases[role]):
            return role
    return None


def _rule_name(rule) -> str:
    name = getattr(rule, "name", None)
    if not isinstance(name, str) or not name.strip():
        raise SpheresInputError(f"rule {rule!r} has no name (give its class a `name = \"...\"` or pass name=...)")
    return name


def register(rule=None, *, name: str | None = None, role: str | None = None, replace: bool = False, _builtin_rule: bool = False):
    """Add a rule (a class or an instance) to the registry under its ``name``.

    Usable as ``@register`` or ``@register(name=..., replace=True)`` on a class, or called
    with an instance. The role is found from the rule's base class (``role`` may be given
    to check it). A name already taken by another rule is refused unless ``replace``;
    a built-in rule can never be replaced. Returns the rule, so it works as a decorator.
    """
    if rule is None:
        return lambda r: register(r, name=name, role=role, replace=replace, _builtin_rule=_builtin_rule)
    found = _role_of(rule)
    if found is None:
        bases = ", ".join(f"{r}: {_bases[r].__module__}.{_bases[r].__name__}" for r in ROLES)
        raise SpheresInputError(f"{rule!r} is not a rule: a rule subclasses the base class of its role ({bases})")
    if role is not None and _check_role(role) != found:
        raise SpheresInputError(f"rule {rule!r} is a {found} rule, not a {role} rule")
    key = name if name is not None else _rule_name(rule)
    if not isinstance(key, str) or not key.strip():
        raise SpheresInputError(f"rule name {key!r} must be a non-empty string")
    table = _rules[found]
    if key in table and table[key] is not rule:
        if key in _builtin[found]:
            raise SpheresInputError(f"{found} rule {key!r} is built in and cannot be replaced; choose another name")
        if not replace:
            raise SpheresInputError(f"{found} rule {key!r} is already registered (pass replace=True to replace it)")
    table[key] = rule
    if _builtin_rule:
        _builtin[found].add(key)
    return rule


def unregister(role: str, name: str) -> None:
    """Remove a user rule (built-ins stay)."""
    _load(_check_role(role))
    if name in _builtin[role]:
        raise SpheresInputError(f"{role} rule {name!r} is built in and cannot be removed")
    _rules[role].pop(name, None)


def names(role: str) -> list[str]:
    """The registered rule names of ``role``: the built-ins first (the equilibrium rule first), then users'."""
    _load(_check_role(role))
    table = _rules[role]
    return [n for n in table if n in _builtin[role]] + [n for n in table if n not in _builtin[role]]


def get(role: str, name: str):
    """A rule object of ``role`` by name (a fresh instance when a class was registered)."""
    _load(_check_role(role))
    if not isinstance(name, str) or name not in _rules[role]:
        raise SpheresInputError(f"{role} rule {name!r} is not one of: {', '.join(names(role))}")
    rule = _rules[role][name]
    return rule() if isinstance(rule, type) else rule


def coerce(role: str, rule, parameter: str | None = None):
    """``rule`` as a rule object of ``role``: a registered name, a rule class or a rule instance.

    Anything else (an object that is not a rule, a rule of another role, an unknown name) is
    refused with a ``SpheresInputError`` naming ``parameter`` (default: the role).
    """
    label = parameter or f"{role} rule"
    _load(_check_role(role))
    if isinstance(rule, str):
        if rule not in _rules[role]:
            raise SpheresInputError(f"{label} = {rule!r} is not one of: {', '.join(names(role))}")
        return get(role, rule)
    found = _role_of(rule)
    if found is None:
        raise SpheresInputError(
            f"{label} = {rule!r} is not a rule: give a registered name or an instance of "
            f"{_bases[role].__module__}.{_bases[role].__name__}"
        )
    if found != role:
        raise SpheresInputError(f"{label} = {rule!r} is a {found} rule, not a {role} rule")
    return rule() if isinstance(rule, type) else rule


def describe(role: str) -> dict[str, str]:
    """Name -> one-line description of every registered rule of ``role``."""
    out = {}
    for n in names(role):
        rule = _rules[role][n]
        text = str(getattr(rule, "description", "") or rule.__doc__ or "").strip()
        out[n] = text.splitlines()[0] if text else ""
    return out


def load_rules_module(path) -> object:
    """Import a user's rules file (``--rules-module FILE.py``); its ``register`` calls add its rules.

    A missing file, a file that is not ``.py``, or one that raises on import is refused with
    one line naming it and the error.
    """
    p = Path(str(path))
    if not str(path).strip():
        raise SpheresInputError("--rules-module must name a .py file, got an empty string")
    if p.suffix != ".py":
        raise SpheresInputError(f"--rules-module {str(path)!r} must be a .py file")
    if not p.is_file():
        raise SpheresInputError(f"--rules-module {str(path)!r} does not exist (or is not a file)")
    for role in ROLES:
        _load(role)
    module_name = f"spheres_user_rules_{abs(hash(str(p.resolve())))}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, p)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SpheresInputError as exc:
        del sys.modules[module_name]
        raise SpheresInputError(f"--rules-module {str(path)!r}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - any error in user code becomes one line
        del sys.modules[module_name]
        where = ""
        tb = exc.__traceback__
        while tb is not None:
            if os.path.abspath(tb.tb_frame.f_code.co_filename) == os.path.abspath(p):
                where = f", line {tb.tb_lineno}"
            tb = tb.tb_next
        raise SpheresInputError(f"--rules-module {str(path)!r} failed to import{where}: {type(exc).__name__}: {exc}") from exc
    return module

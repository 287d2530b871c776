"""Counterfactuals of the alliance game: a role's rule swapped, as a surprise and anticipated; and
what the off-path beliefs and their refinements do to the Japan cases (used by ``run.py alliance-japan``).

Each counterfactual builds an ``AllianceModel`` with the rules and plays episodes until
both types of patron have appeared, then prints each type's path of play next to the
equilibrium without the rules. Rules are pure strategies, so one episode per type says
everything; the printed explanation states the question and what the play answers.
"""

from __future__ import annotations

from games.alliance import (
    ANY, REFINEMENTS, NoEquilibrium, label_equilibrium, refine, solve,
)
from games.alliance.examples import example
from games.alliance.rules import MODES

__all__ = ["COUNTERFACTUALS", "play", "counterfactual", "print_counterfactual", "beliefs_report"]

COUNTERFACTUALS = {
    "cannot-withdraw": {
        "example": "japan-2019",
        "rules": {"patron": "never-withdraw"},
        "title": "Japan 2019 with a patron that cannot withdraw",
        "question": (
            "The US threat to leave is what makes an uncommitted US worth paying. What if the US could not "
            "withdraw? As a surprise, nobody adjusts; anticipated, Japan knows refusing costs nothing. Does the "
            "committed type still demand a_bar, and what does C offer?"
        ),
    },
    "always-pay": {
        "example": "japan-2019",
        "rules": {"protege": "always-pay"},
        "title": "Japan 2019 with a protégé that always pays",
        "question": (
            "What if Japan paid whatever it was asked? As a surprise the committed US, which asks a_bar expecting "
            "a refusal, is paid; anticipated, every patron asks for the most it may."
        ),
    },
    "ignore-signal": {
        "example": "japan-2019",
        "rules": {"challenger": "ignore-signal"},
        "title": "Japan 2019 with a challenger that ignores signals",
        "question": (
            "What if China read nothing into the negotiation and kept its prior (phi = 0.6, above mu_hat = 0.4, "
            "the belief at which it stops screening)? After a withdrawal it then offers the pooling x = p_m - c_T."
        ),
    },
}
"""Named counterfactuals: the point, the rules swapped, and the question each answers."""


def play(model, max_episodes: int = 10_000) -> dict[str, dict]:
    """Each type's path of play under the model's rules: the first episode of each type (rules are pure)."""
    while model.episodes_finished < max_episodes:
        model.run_episodes(1)
        rows = model.episodes_table()
        if rows["type"].nunique() == 2:
            break
    rows = model.episodes_table()
    return {t: rows[rows["type"] == t].iloc[0].to_dict() for t in ("committed", "uncommitted") if (rows["type"] == t).any()}


def _path_text(row: dict) -> str:
    demand = "makes no offer" if row["negotiation"] == "no offer" else (
        f"demands {row['demand']:g}, " + {"sharing": "T pays", "free-riding": "T refuses, A stays",
                                          "withdrawal": "T refuses, A withdraws"}[row["negotiation"]])
    crisis = "T accepts" if row["settlement"] else ("war, A intervenes" if row["intervention"] else "war, A stays out")
    return f"{demand}; C (belief {row['belief']:.3g}) offers {row['offer']:g}; {crisis}"


def counterfactual(params, rules: dict, mode: str, n_demands: int = 20, seed: int = 0) -> dict:
    """The play of each type with ``rules`` in ``mode``; ``{"error": ...}`` when the game has no pure PBE."""
    from model import AllianceModel

    kwargs = {f"{role}_rule": rule for role, rule in rules.items()}
    try:
        model = AllianceModel(params, n_demands=n_demands, mode=mode, seed=seed, **kwargs)
    except NoEquilibrium as exc:
        return {"mode": mode, "error": str(exc)}
    return {"mode": mode, "equilibrium": model.equilibrium_label, "convention": model.search.convention(),
            "play": play(model)}


def print_counterfactual(title: str, question: str, params, rules: dict, n_demands: int = 20) -> dict:
    """Print the baseline and both modes of one counterfactual; return them (for the JSON report)."""
    print(f"== {title} ==")
    print(question)
    a_bar = params.a_bar
    shown = ", ".join(f"{role} {getattr(rule, 'name', rule)}" for role, rule in rules.items())
    results = {"baseline": counterfactual(params, {}, "surprise", n_demands)}
    for mode in MODES:
        results[mode] = counterfactual(params, rules, mode, n_demands)
    for name, result in results.items():
        head = "no rules swapped" if name == "baseline" else f"{shown}, {name}"
        if "error" in result:
            print(f"  [{head}] {result['error']}")
            continue
        print(f"  [{head}] equilibrium played: {result['equilibrium']}")
        for who, row in result["play"].items():
            print(f"      {who} A {_path_text(row)}")
    answers = []
    for mode in MODES:
        result = results[mode]
        if "error" in result or "committed" not in result["play"]:
            continue
        row = result["play"]["committed"]
        demand = row["demand"]
        still = demand is not None and demand == float(a_bar)
        offers = sorted({r["offer"] for r in result["play"].values()})
        answers.append(f"{mode}: the committed type {'still demands' if still else 'no longer demands'} a_bar = {float(a_bar):g}; "
                       f"C offers {', '.join(f'{x:g}' for x in offers)}")
    if answers:
        print("  answer: " + "; ".join(answers) + ".")
    print()
    return {"title": title, "rules": {role: getattr(rule, "name", rule) for role, rule in rules.items()},
            "results": _jsonable(results)}


def _jsonable(results: dict) -> dict:
    out = {}
    for name, result in results.items():
        entry = {k: v for k, v in result.items() if k != "play"}
        if "play" in result:
            entry["play"] = {who: {k: _plain(v) for k, v in row.items()} for who, row in result["play"].items()}
        out[name] = entry
    return out


def _plain(value):
    """A pandas cell as JSON: numpy scalars as Python numbers, NaN (no demand) as None."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and value != value else value


def beliefs_report(params, stated: str = "uncommitted", n_demands: int = 50) -> dict:
    """Every PBE outcome under the stated off-path belief and under any off-path beliefs, and
    which of the latter survive the Intuitive Criterion and D1 (printed and returned)."""
    stated_labels = [label_equilibrium(e, params) for e in solve(params, n_demands=n_demands, off_path_belief_rule=stated)]
    free = solve(params, n_demands=n_demands, off_path_belief_rule=ANY)
    rows = []
    for eq, verdicts in refine(free):
        rows.append({"equilibrium": label_equilibrium(eq, params), "describe": eq.describe(),
                     **{name: verdicts[name].survives for name in REFINEMENTS},
                     "why not": "; ".join(v.describe() for v in verdicts.values() if not v.survives)})
    print(f"off-path beliefs: {len(stated_labels)} pure PBE outcome(s) with C's belief '{stated}' after an unexpected "
          f"history ({', '.join(sorted(set(stated_labels)))}); {len(rows)} supported by some off-path beliefs")
    for name in REFINEMENTS:
        surviving = sorted({r["equilibrium"] for r in rows if r[name]})
        print(f"  surviving {name}: {', '.join(surviving) or 'none'}")
    killed = sorted({r["equilibrium"] for r in rows if not all(r[n] for n in REFINEMENTS)})
    if killed:
        print(f"  refined away: {', '.join(killed)}")
    return {"stated_belief": stated, "stated": stated_labels, "any": rows}


def named_params(name: str):
    """The parameter point of a named counterfactual."""
    return example(COUNTERFACTUALS[name]["example"])

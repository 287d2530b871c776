"""Japan 1978 (Separating 1) and Japan 2019 (Separating 2) in the alliance cost-sharing game; counterfactual rules.

Each case prints its story, the propositions, every pure PBE with the stated off-path belief
and every outcome some off-path beliefs support, with the Intuitive Criterion and D1.
``--counterfactuals`` adds the named counterfactuals of Japan 2019 (a patron that cannot
withdraw, a protégé that always pays, a challenger that ignores signals), each as a surprise
and anticipated; ``--patron-rule`` / ``--protege-rule`` / ``--challenger-rule`` (and a
``--rules-module``'s rules) play any rules at the chosen year(s), in both modes.
"""

from __future__ import annotations

import argparse
import json

from games.alliance import classify, label_equilibrium, slide_classify, solve, write_efg
from games.alliance.examples import example
from games.validation import check_choice, check_size
from scenarios import _costs as cost
from scenarios.alliance import add_rule_options
from scenarios.alliance_counterfactuals import COUNTERFACTUALS, beliefs_report, named_params, print_counterfactual

__all__ = ["add_arguments", "run", "CASES", "case_params", "build_model"]

OUTPUT = "out/alliance_japan"
TAKES_RULES = True

CASES = {
    "1978": {
        "example": "japan-1978",
        "before": "japan-pre-1978",
        "expect": "Separating 1",
        "story": (
            "Japan entered the first separating equilibrium in 1978. The alliance's cost pi rose "
            "(Japan's growth and inflation: pi 0.07 -> 0.11) and the uncommitted patron's stake beta_low "
            "fell (end of the Vietnam War, detente, the approach to the PRC: 0.35 -> 0.25), so pi crossed "
            "beta_low a* = beta_low (p_h - p_l): the US threat of abandonment became credible. Domestic "
            "politics did not reward demands (l = -0.2 < 0), so a committed US would not have asked; the "
            "uncommitted US asks exactly a* = p_h - p_l = 0.25, which Japan pays."
        ),
    },
    "2019": {
        "example": "japan-2019",
        "before": None,
        "expect": "Separating 2",
        "story": (
            "Japan in 2019 was in the second separating equilibrium. A committed patron (beta_high = 0.8: "
            "Trump-Abe, US commitment to Japan's security) facing domestic isolationism (l = 0.2 >= 0) "
            "demands a_bar = 1.0 = 4 a* ('quadruple the payments'); Japan, confident the patron stays, "
            "refuses; the patron stays (free-riding) and collects l a_bar at home. l stays below "
            "l* = ((1 + beta_low) a* - pi) / (a_bar - a*) = 0.3, so an uncommitted patron would instead have "
            "asked a* and been paid."
        ),
    },
}


def case_params(year: str):
    check_choice("--year", year, tuple(CASES))
    return example(CASES[year]["example"])


def build_model(year: str, seed: int = 0, **kwargs):
    """An AllianceModel at the case's parameters, to step through by hand."""
    from model import AllianceModel

    return AllianceModel(case_params(year), seed=seed, **kwargs)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", default="both", help="1978, 2019 or both (default both)")
    parser.add_argument("--steps", type=int, default=0, help="also step the Mesa model N stage events and print them")
    parser.add_argument("--counterfactuals", action="store_true",
                        help="also play the named counterfactuals of Japan 2019, each as a surprise and anticipated")
    add_rule_options(parser)


def _report(year: str, steps: int) -> dict:
    case = CASES[year]
    params = case_params(year)
    result = solve(params)
    labels = [label_equilibrium(e, params) for e in result]
    print(f"== Japan {year} ({case['example']}) ==")
    print(case["story"])
    print("parameters: " + ", ".join(f"{k}={v}" for k, v in params.as_dict().items()))
    print(f"a* = {params.a_star}, l* = {params.l_star}, credible-threat band beta_low a* = {params.pi_low} "
          f"<= pi <= {params.pi_high} = beta_high (p_h - p_m - c_T) + c_A")
    derived = classify(params)
    print("propositions (derived conditions): " + ", ".join(f"{k}: {v}" for k, v in derived.items()))
    print("propositions (slides' conditions): " + ", ".join(f"{k}: {v}" for k, v in slide_classify(params).items()))
    print(f"search: {len(result)} pure PBE outcome(s) on a {len(result.demands)}-demand, {len(result.offers)}-offer grid, "
          f"{result.convention()}")
    for eq, label in zip(result, labels):
        print(f"  [{label}] {eq.describe()}")
    report = {
        "year": year, "example": case["example"], "story": case["story"],
        "params": {k: str(v) for k, v in params.as_dict().items()},
        "a_star": str(params.a_star), "l_star": None if params.l_star is None else str(params.l_star),
        "classify": derived, "slide_classify": slide_classify(params), "equilibria": labels,
        "expected": case["expect"], "holds": case["expect"] in labels,
        "beliefs": beliefs_report(params),
    }
    if case["before"]:
        before = example(case["before"])
        before_labels = sorted({label_equilibrium(e, before) for e in solve(before)})
        print(f"before ({case['before']}: pi={before.pi}, beta_low={before.beta_low}): pi < beta_low a* = "
              f"{before.pi_low}, no credible threat; equilibria: {', '.join(before_labels)}")
        report["before"] = {"example": case["before"], "equilibria": before_labels}
    if steps:
        model = build_model(year)
        for _ in range(steps):
            model.step()
            print(f"  step {model.steps:>3}: {model.last_stage:<40} -> {model.path[-1][1]} {model.path[-1][2]}")
    print()
    return report


def run(args: argparse.Namespace) -> int:
    years = ("1978", "2019") if args.year == "both" else (check_choice("--year", args.year, ("1978", "2019", "both")),)
    steps = check_size("--steps", args.steps, low=0,
                       memory=lambda k: k * cost.STEP_BYTES, seconds=lambda k: k * cost.STEP_PRINT_SECONDS)
    out = args.out
    reports = [_report(year, steps) for year in years]
    rules = {role: getattr(args, f"{role}_rule") for role in ("patron", "protege", "challenger")}
    rules = {role: rule for role, rule in rules.items() if rule != "equilibrium"}
    counterfactuals = []
    if args.counterfactuals:
        counterfactuals += [print_counterfactual(c["title"], c["question"], named_params(name), c["rules"])
                            for name, c in COUNTERFACTUALS.items()]
    if rules:
        counterfactuals += [print_counterfactual(f"Japan {year} with the rules given", "The rules given on the command line.",
                                                 case_params(year), rules) for year in years]
    for year in years:
        write_efg(out / f"alliance_japan_{year}.efg", case_params(year), title=f"Alliance cost-sharing, Japan {year}")
    (out / "alliance_japan.json").write_text(json.dumps(reports, indent=2, default=str), encoding="utf-8")
    if counterfactuals:
        (out / "alliance_counterfactuals.json").write_text(json.dumps(counterfactuals, indent=2, default=str), encoding="utf-8")
    return 0 if all(r["holds"] for r in reports) else 1

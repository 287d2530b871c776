"""Headless render tests of both SolaraViz apps (``solara.render``, as Mesa's own suite does).

Each app is rendered inside Solara's AppLayout (so the sidebar with Mesa's controls is part
of the tree); buttons are clicked and controls set on the widgets themselves. The tests
assert on what is rendered: the status panel's HTML, the panel images, the figures'
artists, and that the page shows what a model with the same parameters computes.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipyvuetify as v
import numpy as np
import pytest
import solara
from matplotlib.colors import to_hex

from games import registry
from games.validation import SpheresInputError
from model import ALLIANCE_OUTCOMES
from visualization import _panels, alliance_app, alliance_tree, app, assets, club_app


# ----------------------------------------------------------------------------- helpers
_OPEN: list = []


@pytest.fixture(autouse=True)
def _close_renders():
    """Close every render context a test opened: Mesa redraws through one global counter,
    so a context left open would be redrawn on every later Step."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def render(page_component):
    """Render a page in an AppLayout; return Reacton's render context."""

    @solara.component
    def Wrapped():
        with solara.AppLayout():
            page_component()

    _box, rc = solara.render(Wrapped(), handle_error=False)
    _OPEN.append(rc)
    return rc


def panels(rc) -> list:
    """The widget inside each panel of the page, in the order of the app's COMPONENTS."""
    return [box.children[0] for box in rc.find(v.Html, class_="spheres-panel").widgets]


def rows(rc) -> list[str]:
    """The CSS grid columns of each row of panels."""
    return [w.style_ for w in rc.find(v.Html, class_="spheres-row").widgets]


def status(rc) -> str:
    """The status panel's HTML (the first panel)."""
    return panels(rc)[0].unsafe_innerHTML


def field(html: str, name: str) -> str:
    """The text of the element with ``data-testid=name`` in ``html``."""
    match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no {name} in the status panel"
    return match.group(1)


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def set_control(rc, label: str, value) -> None:
    """Set a Select, slider or text box of Mesa's model controls, as the user would (a text box
    takes its value when it loses the focus)."""
    widgets = rc.find(v.Select, label=label).widgets or rc.find(v.Slider, label=label).widgets
    if widgets:
        widgets[0].v_model = value
        return
    boxes = rc.find(v.TextField, label=label).widgets
    assert boxes, f"no control labelled {label!r}"
    boxes[0].v_model = value
    boxes[0].fire_event("focusout", None)


# ----------------------------------------------------------------------------- the page
@pytest.mark.parametrize("page, components, layout", [
    (club_app.Page, club_app.COMPONENTS, club_app.LAYOUT), (alliance_app.Page, alliance_app.COMPONENTS, alliance_app.LAYOUT),
])
def test_panels_in_rows_of_a_grid_with_figures_scaled_to_their_panel(page, components, layout):
    rc = render(page)
    items = panels(rc)
    assert len(items) == len(components) == sum(len(row) for row in layout)
    assert rows(rc) == [f"grid-template-columns: {' '.join(f'minmax(0, {s}fr)' for s in row)}" for row in layout]
    assert all(w.format == "png" and bytes(w.value)[:4] == b"\x89PNG" for w in items[1:])
    style = " ".join(str(w.template) for w in rc.find(v.VuetifyTemplate).widgets)  # solara.Style's CSS
    assert ".spheres-panel img { display: block; max-width: 100%; height: auto;" in style  # never wider than its panel
    assert ".v-slider__thumb-label-container { display: block !important; }" in style  # slider values always shown


def test_club_page_plays_three_superpowers_in_three_colours():
    model = club_app.ClubVizModel(world_name="poles", n=12, g_a=0.6, rule_c="myopic")
    assert model.input_error is None and [s.rule.name for s in model.superpowers] == ["equilibrium", "equilibrium", "myopic"]
    model.run_to_end()
    assert all(model.membership(k).any() for k in range(3))  # three clubs at g = 0.6
    colours = {club_app.club_colour(k) for k in range(3)}
    assert len(colours) == 3
    assert club_app.ClubVizModel(world_name="figure3", rule_c="myopic").input_error.startswith("the rule of c applies only")


def test_parse_seed_names_the_control_and_its_range():
    assert _panels.parse_seed("seed", " 42 ") == 42 and _panels.parse_seed("seed", "") is None
    for bad in ("-1", "abc", "1.5", str(2**63)):
        with pytest.raises(SpheresInputError, match=r"seed = .* \[0, 9223372036854775807\]"):
            _panels.parse_seed("seed", bad)


# ----------------------------------------------------------------------------- club game
def test_club_page_renders_controls_and_panels():
    rc = render(club_app.Page)
    assert [b.children[0] for b in rc.find(v.Btn).widgets][:3] == ["Reset", "▶", "Step"]
    labels = {w.label for w in rc.find(v.Select).widgets} | {w.label for w in rc.find(v.Slider).widgets}
    for control in ("World", "n (section3, random, poles)", "g_a (section3; every g in poles)", "g_b (section3)",
                    "Country whose endowment to set", "Its endowment ω", "Rule of a (leader)", "Rule of b (challenger)",
                    "Rule of c (poles)", "Rule of the non-superpowers"):
        assert control in labels
    rule_a = rc.find(v.Select, label="Rule of a (leader)").widget
    assert list(rule_a.items) == registry.names("superpower")
    html = status(rc)
    assert "Step 0" in html and field(html, "size-a") == "0" and field(html, "size-b") == "0"
    assert field(html, "params-value") == ("world figure3, countries 3, endowments ≠ 1 none, rule of a equilibrium, "
                                          "rule of b equilibrium, rule of the countries coalition, seed 0")


def test_club_steps_show_each_stage_event():
    """Figure 3 with a myopic leader (set in the controls): b takes every country in stage two."""
    rc = render(club_app.Page)
    set_control(rc, "Rule of a (leader)", "myopic")
    click(rc, "Reset")
    expected = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    before = [bytes(w.value) for w in panels(rc)[1:]]
    seen = []
    while expected.running:
        assert not rc.find(v.Btn, children=["Step"]).widget.disabled
        click(rc, "Step")
        expected.step()
        html = status(rc)
        seen.append((int(field(html, "size-a")), int(field(html, "size-b"))))
        # the page shows what the model computes, step by step
        assert f"Step {expected.steps}" in html
        assert seen[-1] == (expected.club_size("a"), expected.club_size("b"))
        for e in expected.events:
            if e["step"] == expected.steps:
                assert club_app.esc(f"{e['actor']} {e['action']}") in html
    assert seen[0] == (0, 0)  # step 1: a only places its club good
    assert max(a for a, _ in seen) == 3  # all three join a's club in stage one ...
    assert seen[-1] == (0, 3)  # ... and b, placing second, takes every country
    assert "game over" in status(rc) and field(status(rc), "members-b") == "1, 2, 3"
    assert "rule of a myopic" in field(status(rc), "params-value")
    assert all(bytes(w.value) != b for w, b in zip(panels(rc)[1:], before))  # every figure was redrawn
    assert rc.find(v.Btn, children=["Step"]).widget.disabled  # the game is over


@pytest.mark.parametrize("control, value, message", [
    ("Country whose endowment to set", "10", "country = 10 is outside the allowed range [1, 3]"),
    ("Seed (order of proposals)", "-1", "seed = -1 is outside the allowed range [0, 9223372036854775807]"),
])
def test_club_bad_parameter_is_reported_not_raised(control, value, message):
    rc = render(club_app.Page)
    set_control(rc, control, value)
    click(rc, "Reset")
    html = status(rc)
    assert "Bad parameters" in field(html, "input-error") and club_app.esc(message) in html
    assert not rc.find(v.Btn, children=["Step"]).widget.disabled  # the default model, ready to play
    click(rc, "Step")
    assert "Step 1" in status(rc)


def test_club_endowment_control_changes_the_world():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "world_name": "section3", "n": 11, "g_a": 0.2,
                                     "g_b": 0.3, "country": "4", "omega_country": 5.0})
    assert model.input_error is None and model.world.n_countries == 10
    assert model.world.omega[3] == 5.0 and np.all(np.delete(model.world.omega, 3) == 1.0)
    assert "endowments ≠ 1 4: 5" in club_app.status_html(model)


def test_club_line_figure_draws_clubs_homes_goods_and_endowments():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    model.run_to_end()
    ax = club_app.line_figure(model).axes[0]
    groups = {c.get_gid(): c for c in ax.collections}
    assert {"countries-b", "home-a", "home-b", "good-a", "good-b"} <= set(groups)
    assert "countries-a" not in groups and "countries-none" not in groups  # b took every country
    b = groups["countries-b"]
    assert to_hex(b.get_facecolor()[0]) == to_hex(club_app.club_colour(1))
    assert sorted(b.get_offsets()[:, 0]) == [0.25, 0.5, 0.75]
    assert groups["good-a"].get_offsets()[0][0] == model.location("a")
    assert groups["good-b"].get_offsets()[0][0] == model.location("b")
    assert groups["home-a"].get_offsets()[0][0] == 0.0 and groups["home-b"].get_offsets()[0][0] == 1.0
    # marker size grows with the endowment chosen in the controls
    rich = club_app.ClubVizModel(**{**club_app.default_params(), "country": "2", "omega_country": 3.0})
    outside = {c.get_gid(): c for c in club_app.line_figure(rich).axes[0].collections}["countries-none"]
    sizes = dict(zip(outside.get_offsets()[:, 0], outside.get_sizes()))
    assert sizes[0.5] > sizes[0.25] == sizes[0.75]


def test_club_line_figure_stacks_countries_at_one_position():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "world_name": "figure2"})
    model.run_to_end()
    points = {c.get_gid(): c for c in club_app.line_figure(model).axes[0].collections}["countries-a"].get_offsets()
    assert len(points) == 4 and len({tuple(p) for p in np.round(points, 9)}) == 4  # four markers, none on another
    assert sorted(np.round(points[:, 0], 6)) == [0.333333, 0.333333, 0.666667, 0.666667]
    texts = {t.get_text() for t in club_app.line_figure(model).axes[0].texts}
    assert {"1", "2", "3", "4"} <= texts


@pytest.mark.parametrize("world", ["figure3", "figure2", "section3", "random"])
def test_club_line_figure_places_every_country_of_every_world(world):
    model = club_app.ClubVizModel(**{**club_app.default_params(), "world_name": world})
    model.run_to_end()
    ax = club_app.line_figure(model).axes[0]
    drawn = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if str(c.get_gid()).startswith("countries-")}
    clubs = [c.club_name or "none" for c in model.countries]
    assert drawn == {f"countries-{k}": clubs.count(k) for k in set(clubs)}
    assert sum(drawn.values()) == model.world.n_countries


def test_club_history_and_membership_graph_match_the_model():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    model.run_to_end()
    spells = model.memberships()
    current = sum(s["end"] is None for s in spells)
    assert (current, len(spells) - current) == (3, 3)
    assert club_app.graph_figure(model).axes[0].get_title() == "memberships: 3 current, 3 ended"
    sizes, endowments = club_app.history_figure(model).axes
    df = model.datacollector.get_model_vars_dataframe()
    for ax, column in ((sizes, "size"), (endowments, "endowment")):
        lines = {ln.get_gid(): ln for ln in ax.get_lines()}
        for k, name in enumerate(model.world.superpowers):
            assert list(lines[f"{column}-{name}"].get_ydata()) == list(df[f"{column}_{name}"])
            assert to_hex(lines[f"{column}-{name}"].get_color()) == to_hex(club_app.club_colour(k))


# ----------------------------------------------------------------------------- alliance game
def test_alliance_page_renders_controls_and_panels():
    rc = render(alliance_app.Page)
    labels = {w.label for w in rc.find(v.Select).widgets} | {w.label for w in rc.find(v.Slider).widgets}
    for name in alliance_app.PARAMETERS:
        assert alliance_app.LABELS[name] in labels
    for control in ("Rule of A (patron)", "Rule of T (protégé)", "Rule of C (challenger)",
                    "Equilibrium played by the equilibrium rules", "C's belief after an unexpected negotiation"):
        assert control in labels
    html = status(rc)
    assert "Step 0" in html and field(html, "path-value") == "none yet"
    assert field(html, "belief-value") == "0.5"  # the prior of japan-1978
    shown = field(html, "params-value")
    assert shown.startswith("example sliders, beta_low 0.25, beta_high 0.8, phi 0.5") and shown.endswith(
        "n_demands 20, n_offers 100, off_path_belief uncommitted, seed 0")


def test_alliance_steps_follow_the_model_and_highlight_the_path():
    rc = render(alliance_app.Page)
    expected = alliance_app.AllianceVizModel(**alliance_app.default_params())
    tree_before = bytes(panels(rc)[1].value)
    for _ in range(5):
        click(rc, "Step")
        expected.step()
        html = status(rc)
        moves = " → ".join(f"{actor}: {action}" for _s, actor, action in expected.path)
        assert field(html, "path-value") == club_app.esc(moves)
        assert field(html, "belief-value") == f"{float(expected.challenger_belief):.4g}"
        last = expected.path[-1]
        assert field(html, "last-move-value") == club_app.esc(f"{last[1]}: {last[2]}")
    assert expected.episodes_finished == 1  # japan-1978 at seed 0: the first episode has ended
    assert field(status(rc), "episode-number") == "1"
    assert bytes(panels(rc)[1].value) != tree_before
    click(rc, "Step")  # a new episode: nature moves again
    assert field(status(rc), "path-value").startswith("N: ")


def test_alliance_tree_highlights_exactly_the_played_path():
    model = alliance_app.AllianceVizModel(**alliance_app.default_params())
    model.step()
    model.step()
    ax = alliance_app.tree_figure(model).axes[0]
    red = [ln for ln in ax.get_lines() if to_hex(ln.get_color()) == alliance_tree.PLAYED]
    assert len(red) == len(model.path) == 2  # nature's move and A's
    texts = {t.get_text() for t in ax.texts}
    demand = model.path[1][2]  # "a=1/4" or "no offer": the played value labels its branch
    assert (demand.replace("1/4", "0.25") if demand.startswith("a=") else demand) in texts


def test_alliance_tree_draws_information_sets_beliefs_and_payoffs():
    model = alliance_app.AllianceVizModel(**alliance_app.default_params())  # japan-1978: Separating 1
    nodes, edges, c_info = alliance_tree.build_tree(model)
    leaves = [n for n in nodes.values() if n.player is None]
    assert len(leaves) == 24 and len(edges) == len(nodes) - 1  # a tree: 2 types x 4 negotiations x 3 ends
    # the committed type makes no offer: its half shows the uncommitted type's demand, so every
    # history appears in both halves and C cannot tell the halves apart anywhere
    assert len(alliance_tree.information_sets(c_info)) == 4
    ax = alliance_app.tree_figure(model).axes[0]
    dashed = [ln for ln in ax.get_lines() if to_hex(ln.get_color()) == alliance_tree.INFORMATION_SET]
    assert len(dashed) == 4
    # payoffs at a leaf: the equilibrium's settlement after the uncommitted type's sharing
    history, x, mu = c_info[("uncommitted", "C", "sharing")]
    assert mu == 0 and x == model.assessment.offer[history]
    p = model.params
    a_payoff = -p.pi + history.demand + p.l * history.demand + p.beta_low * x
    leaf = nodes[("uncommitted", "leaf", "sharing", "settlement")]
    assert leaf.label == f"settlement: {float(a_payoff):.3g}, {float(x - history.demand):.3g}, {float(1 - x):.3g}"
    assert leaf.label in {t.get_text() for t in ax.texts}


def test_alliance_tree_separates_information_sets_when_the_demands_differ():
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "example": "japan-2019", "seed": "1"})
    for _ in range(6):
        model.step()
    _nodes, _edges, c_info = alliance_tree.build_tree(model)
    committed, uncommitted = model.equilibrium.path(True).demand, model.equilibrium.path(False).demand
    assert committed != uncommitted  # Separating 2: a_bar against a*
    pairs = alliance_tree.information_sets(c_info)
    assert [c[2] for c, _u in pairs] == ["no offer"]  # only "no offer" is one history for both types


def test_alliance_outcome_and_belief_figures_match_the_model():
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "n_demands": 6, "n_offers": 20})
    model.run_episodes(20)
    freq = alliance_app.outcome_frequencies(model)
    ax = alliance_app.outcomes_figure(model).axes[0]
    heights = np.array([p.get_height() for p in ax.patches]).reshape(3, len(ALLIANCE_OUTCOMES))
    assert np.allclose(heights, [freq["all"], freq["committed"], freq["uncommitted"]])
    assert ax.get_title() == "outcomes over 20 finished episodes"
    assert freq["all"][ALLIANCE_OUTCOMES.index("settlement")] + freq["all"][ALLIANCE_OUTCOMES.index("war")] == 1.0
    bax = alliance_app.belief_figure(model).axes[0]
    belief_line = [ln for ln in bax.get_lines() if len(ln.get_xdata()) == model.steps]
    assert belief_line and float(belief_line[0].get_ydata()[-1]) == float(model.challenger_belief)


@pytest.mark.parametrize("control, value, message", [
    (alliance_app.LABELS["beta_low"], 0.9, "beta_low = 0.9 must be below beta_high = 0.8"),
    ("Seed (nature's draws of A's type)", "-1", "seed = -1 is outside the allowed range [0, 9223372036854775807]"),
])
def test_alliance_bad_parameters_are_reported_not_raised(control, value, message):
    rc = render(alliance_app.Page)
    set_control(rc, control, value)
    click(rc, "Reset")
    html = status(rc)
    assert 'data-testid="input-error"' in html and club_app.esc(message) in html
    assert field(html, "path-value") == "none yet"  # the default model, ready to play
    click(rc, "Step")
    assert field(status(rc), "path-value").startswith("N: ")


def test_alliance_bad_controls_raise_outside_the_page():
    with pytest.raises(SpheresInputError, match="equilibrium"):
        alliance_app.AllianceVizModel.checked(**{**alliance_app.default_params(), "equilibrium": "bogus"})
    with pytest.raises(SpheresInputError, match="patron_rule"):
        alliance_app.AllianceVizModel.checked(**{**alliance_app.default_params(), "patron_rule": "bogus"})


@pytest.mark.parametrize("equilibrium, message", [
    ("Separating 3", "does not hold at these parameters"),  # found after the Mesa model is set up
    ("index 5", "must be an index in [0, 0]"),
])
def test_alliance_equilibrium_that_does_not_exist_falls_back_to_a_working_model(equilibrium, message):
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "equilibrium": equilibrium})
    assert message in model.input_error
    assert model._user_step.__func__ is alliance_app.AllianceModel.step  # Mesa wraps the model's own step
    for _ in range(3):
        model.step()
    assert model.steps == 3 and len(model.path) == 3 and model.equilibrium_label == "Separating 1"


def test_alliance_named_example_and_rules():
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "example": "japan-2019",
                                            "patron_rule": "no-offer", "n_demands": 6, "n_offers": 20})
    assert model.input_error is None and float(model.params.a_bar) == 1.0
    assert "example japan-2019" in field(alliance_app.status_html(model), "params-value")
    model.run_episodes(3)
    assert set(model.episodes_table()["negotiation"]) == {"no offer"}


# ----------------------------------------------------------------------------- server plumbing
def test_app_picks_the_game_and_rejects_unknown_ones():
    assert app.game_page("club") is club_app.Page
    assert app.game_page("alliance") is alliance_app.Page
    with pytest.raises(SpheresInputError, match="game = 'chess'"):
        app.game_page("chess")


def test_serve_command_is_local_and_checked():
    from scenarios import serve

    cmd = serve.server_command(8765)
    assert cmd[cmd.index("--host"):][:5] == ["--host", "localhost", "--port", "8765", "--production"]
    assert Path(cmd[cmd.index("run") + 1]) == serve.APP
    env = serve.server_env("alliance")
    assert env["SPHERES_GAME"] == "alliance" and env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    for bad in (0, 70000, True):
        with pytest.raises(SpheresInputError, match="--port"):
            serve.server_command(bad)
    with pytest.raises(SpheresInputError, match="game"):
        serve.server_env("chess")


def test_browser_assets_match_what_solara_asks_for():
    """The npm packages we install are the ones Solara's page template and grid layout reference."""
    import ipyvuetify

    root = Path(solara.__file__).parent
    template = (root / "server" / "templates" / "solara.html.j2").read_text()
    grid = (root / "widgets" / "vue" / "gridlayout.vue").read_text()
    assert int(ipyvuetify.__version__.split(".")[0]) < 3  # SolaraViz's grid layout needs Vue 2
    assert assets.VUETIFY_APP in template
    for spec in assets.PACKAGES[1:]:
        assert spec in template or spec in grid or spec in str(solara.server.settings.assets.fontawesome_path)

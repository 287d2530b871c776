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
import solara.widgets
from matplotlib.colors import to_hex

from games.validation import SpheresInputError
from model import ALLIANCE_OUTCOMES
from visualization import alliance_app, app, assets, club_app


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
    """The widgets SolaraViz puts in its grid, in the order of the app's COMPONENTS."""
    return list(rc.find(solara.widgets.GridLayout).widget.items)


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
    """Set a Select or slider of Mesa's model controls, as the user would."""
    widgets = rc.find(v.Select, label=label).widgets or rc.find(v.Slider, label=label).widgets
    assert widgets, f"no control labelled {label!r}"
    widgets[0].v_model = value


# ----------------------------------------------------------------------------- club game
def test_club_page_renders_controls_and_panels():
    rc = render(club_app.Page)
    assert [b.children[0] for b in rc.find(v.Btn).widgets][:3] == ["Reset", "▶", "Step"]
    labels = {w.label for w in rc.find(v.Select).widgets} | {w.label for w in rc.find(v.Slider).widgets}
    for control in ("World", "n (section3: n - 1 countries)", "g_a: dependency on a (section3)",
                    "g_b: dependency on b (section3)", "Country whose endowment to set", "Its endowment omega",
                    "Rule of a (leader)", "Rule of b (challenger)", "Rule of the non-superpowers"):
        assert control in labels
    rule_a = rc.find(v.Select, label="Rule of a (leader)").widget
    assert [i for i in rule_a.items] == list(club_app.SUPERPOWER_RULES)
    items = panels(rc)
    assert len(items) == len(club_app.COMPONENTS) == 5
    images = [w for w in items[1:]]
    assert all(w.format == "png" and bytes(w.value)[:4] == b"\x89PNG" for w in images)
    html = status(rc)
    assert "Step 0" in html and field(html, "size-a") == "0" and field(html, "size-b") == "0"


def test_club_steps_show_each_stage_event():
    """Figure 3 with a myopic leader (set in the controls): b takes every country in stage two."""
    rc = render(club_app.Page)
    set_control(rc, "Rule of a (leader)", "myopic")
    click(rc, "Reset")
    expected = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    line_before = bytes(panels(rc)[1].value)
    seen = []
    while expected.running:
        assert not rc.find(v.Btn, children=["Step"]).widget.disabled
        click(rc, "Step")
        expected.step()
        html = status(rc)
        seen.append((int(field(html, "size-a")), int(field(html, "size-b"))))
        # the page shows what the model computes, step by step
        assert f"Step {expected.steps}" in html
        assert seen[-1] == (int(expected.membership("a").sum()), int(expected.membership("b").sum()))
        for e in expected.events:
            if e["step"] == expected.steps:
                assert club_app.esc(f"{e['actor']} {e['action']}") in html
    assert seen[0] == (0, 0)  # step 1: a only places its club good
    assert max(a for a, _ in seen) == 3  # all three join a's club in stage one ...
    assert seen[-1] == (0, 3)  # ... and b, placing second, takes every country
    assert "game over" in status(rc) and field(status(rc), "members-b") == "1, 2, 3"
    assert bytes(panels(rc)[1].value) != line_before  # the line was redrawn
    assert rc.find(v.Btn, children=["Step"]).widget.disabled  # the game is over


def test_club_bad_parameter_is_reported_not_raised():
    rc = render(club_app.Page)
    set_control(rc, "Country whose endowment to set", "10")
    click(rc, "Reset")
    html = status(rc)
    error = field(html, "input-error")
    assert "country = &#x27;10&#x27; is not a country of the figure3 world" in html and "Bad parameters" in error
    with pytest.raises(SpheresInputError, match="country = '10'"):
        club_app.ClubVizModel.checked(**{**club_app.default_params(), "country": "10"})
    with pytest.raises(SpheresInputError, match="seed"):
        club_app.ClubVizModel.checked(**{**club_app.default_params(), "rng": "abc"})


def test_club_endowment_control_changes_the_world():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "world_name": "section3", "n": 11, "g_a": 0.2,
                                     "g_b": 0.3, "country": "4", "omega_country": 5.0})
    assert model.input_error is None and model.world.n_countries == 10
    assert model.world.omega[3] == 5.0 and np.all(np.delete(model.world.omega, 3) == 1.0)


def test_club_line_figure_draws_clubs_homes_goods_and_endowments():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    model.run_to_end()
    ax = club_app.line_figure(model).axes[0]
    groups = {c.get_gid(): c for c in ax.collections}
    assert {"countries-b", "home-a", "home-b", "good-a", "good-b"} <= set(groups)
    assert "countries-a" not in groups and "countries-none" not in groups  # b took every country
    b = groups["countries-b"]
    assert to_hex(b.get_facecolor()[0]) == to_hex(club_app.B_COLOUR)
    assert sorted(b.get_offsets()[:, 0]) == [0.25, 0.5, 0.75]
    assert groups["good-a"].get_offsets()[0][0] == model.location("a")
    assert groups["good-b"].get_offsets()[0][0] == model.location("b")
    assert groups["home-a"].get_offsets()[0][0] == 0.0 and groups["home-b"].get_offsets()[0][0] == 1.0
    # marker size grows with the endowment chosen in the controls
    rich = club_app.ClubVizModel(**{**club_app.default_params(), "country": "2", "omega_country": 3.0})
    outside = {c.get_gid(): c for c in club_app.line_figure(rich).axes[0].collections}["countries-none"]
    sizes = dict(zip(outside.get_offsets()[:, 0], outside.get_sizes()))
    assert sizes[0.5] > sizes[0.25] == sizes[0.75]


@pytest.mark.parametrize("world", list(club_app.WORLDS))
def test_club_line_figure_places_every_country_of_every_world(world):
    model = club_app.ClubVizModel(**{**club_app.default_params(), "world_name": world})
    model.run_to_end()
    ax = club_app.line_figure(model).axes[0]
    drawn = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if str(c.get_gid()).startswith("countries-")}
    clubs = [c.club or "none" for c in model.countries]
    assert drawn == {f"countries-{k}": clubs.count(k) for k in set(clubs)}
    assert sum(drawn.values()) == model.world.n_countries


def test_club_membership_graph_figure_counts_current_and_ended_memberships():
    model = club_app.ClubVizModel(**{**club_app.default_params(), "rule_a": "myopic"})
    model.run_to_end()
    spells = model.memberships()
    current = sum(s["end"] is None for s in spells)
    ended = len(spells) - current
    assert (current, ended) == (3, 3)
    fig = club_app.graph_figure(model)
    assert fig.axes[0].get_title() == f"memberships: {current} current, {ended} ended"


# ----------------------------------------------------------------------------- alliance game
def test_alliance_page_renders_controls_and_panels():
    rc = render(alliance_app.Page)
    labels = {w.label for w in rc.find(v.Select).widgets} | {w.label for w in rc.find(v.Slider).widgets}
    for name in alliance_app.PARAMETERS:
        assert alliance_app.LABELS[name] in labels
    for control in ("Rule of A (patron)", "Rule of T (protégé)", "Rule of C (challenger)",
                    "Equilibrium played by the equilibrium rules", "C's belief after an unexpected negotiation"):
        assert control in labels
    items = panels(rc)
    assert len(items) == len(alliance_app.COMPONENTS) == 4
    html = status(rc)
    assert "Step 0" in html and field(html, "path-value") == "none yet"
    assert field(html, "belief-value") == "0.5"  # the prior of japan-1978


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


def test_alliance_tree_figure_highlights_exactly_the_played_path():
    model = alliance_app.AllianceVizModel(**alliance_app.default_params())
    model.step()
    model.step()
    fig = alliance_app.tree_figure(model)
    ax = fig.axes[0]
    red = [c for c in ax.collections if c.get_edgecolor().size and
           to_hex(c.get_edgecolor()[0]) == alliance_app.PLAYED and c.get_linewidth()[0] == 3.5]
    assert len(red) == 1 and len(red[0].get_segments()) == len(model.path) == 2
    texts = {t.get_text() for t in ax.texts}
    demand = model.path[1][2]  # "a=1/4" or "no offer": the played value labels its branch
    assert demand in texts
    tree = alliance_app.game_tree()
    leaves = [n for n, d in tree.nodes(data=True) if d["outcome"]]
    assert len(leaves) == 24  # 2 types x 4 negotiation outcomes x 3 crisis outcomes


def test_alliance_outcome_and_belief_figures_match_the_model():
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), "n_demands": 6, "n_offers": 20})
    model.run_episodes(20)
    freq = alliance_app.outcome_frequencies(model)
    ax = alliance_app.outcomes_figure(model).axes[0]
    bars = [p for p in ax.patches if p.get_gid() is None]  # matplotlib gives the container the gid
    heights = np.array([p.get_height() for p in ax.patches]).reshape(3, len(ALLIANCE_OUTCOMES))
    assert np.allclose(heights, [freq["all"], freq["committed"], freq["uncommitted"]])
    assert bars is not None and ax.get_title() == "outcomes over 20 finished episodes"
    assert freq["all"][ALLIANCE_OUTCOMES.index("settlement")] + freq["all"][ALLIANCE_OUTCOMES.index("war")] == 1.0
    bax = alliance_app.belief_figure(model).axes[0]
    belief_line = [ln for ln in bax.get_lines() if len(ln.get_xdata()) == model.steps]
    assert belief_line and float(belief_line[0].get_ydata()[-1]) == float(model.challenger_belief)


def test_alliance_bad_parameters_are_reported_not_raised():
    rc = render(alliance_app.Page)
    set_control(rc, alliance_app.LABELS["beta_low"], 0.9)
    click(rc, "Reset")
    html = status(rc)
    assert 'data-testid="input-error"' in html
    assert "beta_low = 0.9 must be below beta_high = 0.8" in html
    assert field(html, "path-value") == "none yet"  # the default model, ready to play
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
    """The npm packages we install are the ones Solara's page and grid layout reference."""
    import ipyvuetify

    root = Path(solara.__file__).parent
    template = (root / "server" / "templates" / "solara.html.j2").read_text()
    grid = (root / "widgets" / "vue" / "gridlayout.vue").read_text()
    assert int(ipyvuetify.__version__.split(".")[0]) < 3  # SolaraViz's grid layout needs Vue 2
    assert assets.VUETIFY_APP in template
    for spec in assets.PACKAGES[1:]:
        assert spec in template or spec in grid or spec in str(solara.server.settings.assets.fontawesome_path)

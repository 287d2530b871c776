"""Every figure is legible, and ``run.py figures`` makes every figure it says it makes.

Legibility is judged with matplotlib's own layout information: the figure is drawn on an
Agg canvas, every text actually drawn is recorded, and their boxes (``get_window_extent``,
turned with the text) are compared. :func:`legibility_problems` is the one checker; every
figure function of ``visualization`` is run through it, on the data it is drawn from.
"""

from __future__ import annotations

import json

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import run
from games.alliance.examples import example
from experiments.maps import equilibrium_map
from games.club import payoff_table, solve
from games.club.examples import figure2, figure3
from experiments.sweeps import dependency_sweep, power_map
from scenarios import figures
from visualization import alliance_app, alliance_figures, club_app, club_figures, us_china_figures

TOL = 1.0
"""Pixels: two boxes that share less than this do not overlap."""


# ----------------------------------------------------------------------------- the checker
def draw(fig) -> tuple:
    """Draw ``fig`` on an Agg canvas; return the renderer and every text actually drawn."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    drawn: dict[int, Text] = {}
    original = renderer.draw_text

    def record(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if mtext is not None and s.strip():
            drawn[id(mtext)] = mtext
        return original(gc, x, y, s, prop, angle, ismath, mtext)

    renderer.draw_text = record
    try:
        fig.draw(renderer)
    finally:
        del renderer.draw_text
    return renderer, list(drawn.values())


def rectangle(text: Text, renderer) -> tuple:
    """A drawn text as (centre, width, height, angle in radians), in pixels: its box turned with it."""
    text.get_window_extent(renderer)  # places an annotation's text
    box = Text.get_window_extent(text, renderer)  # the text alone, not an annotation's arrow
    plain = Text(0, 0, text.get_text(), fontproperties=text.get_fontproperties(), linespacing=text.get_linespacing(),
                 usetex=text.get_usetex())
    plain.set_figure(text.get_figure(root=True))
    size = plain.get_window_extent(renderer)
    return np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]), size.width, size.height, np.radians(text.get_rotation())


def corners(rect) -> np.ndarray:
    centre, w, h, a = rect
    turn = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return centre + (np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2) @ turn.T


def overlap(r1, r2) -> bool:
    """Do two turned rectangles share more than TOL (the separating axis test)?"""
    p, q = corners(r1), corners(r2)
    for a in (r1[3], r1[3] + np.pi / 2, r2[3], r2[3] + np.pi / 2):
        axis = np.array([np.cos(a), np.sin(a)])
        pp, qq = p @ axis, q @ axis
        if min(pp.max(), qq.max()) - max(pp.min(), qq.min()) <= TOL:
            return False
    return True


def clip(segments: np.ndarray, box: Bbox) -> tuple[np.ndarray, np.ndarray]:
    """Liang-Barsky: for each segment the parameters [t0, t1] of its part inside ``box`` (none if t0 > t1)."""
    p0, d = segments[:, 0], segments[:, 1] - segments[:, 0]
    t0, t1 = np.zeros(len(segments)), np.ones(len(segments))
    t0[~np.isfinite(segments).all(axis=(1, 2))] = 2.0
    for p, q in ((-d[:, 0], p0[:, 0] - box.x0), (d[:, 0], box.x1 - p0[:, 0]),
                 (-d[:, 1], p0[:, 1] - box.y0), (d[:, 1], box.y1 - p0[:, 1])):
        parallel = p == 0
        t0 = np.where(parallel & (q < 0), 2.0, t0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
        t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
    return t0, t1


def through(segments: np.ndarray, box: Bbox) -> bool:
    """Does any segment pass through ``box`` shrunk by TOL?"""
    if not len(segments) or box.width <= 2 * TOL or box.height <= 2 * TOL:
        return False
    t0, t1 = clip(segments, Bbox.from_extents(box.x0 + TOL, box.y0 + TOL, box.x1 - TOL, box.y1 - TOL))
    return bool((t0 <= t1).any())


def crosses(segments: np.ndarray, rect) -> bool:
    """Does any segment pass through a turned rectangle?"""
    centre, w, h, a = rect
    back = np.array([[np.cos(-a), -np.sin(-a)], [np.sin(-a), np.cos(-a)]])
    return through((segments - centre) @ back.T, Bbox.from_extents(-w / 2, -h / 2, w / 2, h / 2))


def drawn_segments(artist) -> np.ndarray:
    """The line segments an artist draws (Line2D with its draw style, LineCollection, arrow), in
    pixels, cut to the box it is clipped to; shape (n, 2, 2)."""
    if isinstance(artist, FancyArrowPatch):
        points = artist.get_transform().transform_path(artist.get_path()).vertices
        segs = np.stack([points[:-1], points[1:]], axis=1)
    elif isinstance(artist, Line2D):
        if artist.get_linestyle() in ("None", "", " ", "none"):
            return np.empty((0, 2, 2))
        x, y = cbook.STEP_LOOKUP_MAP[artist.get_drawstyle()](np.asarray(artist.get_xdata(orig=False), float),
                                                            np.asarray(artist.get_ydata(orig=False), float))
        points = artist.get_transform().transform(np.column_stack([x, y]))
        segs = np.stack([points[:-1], points[1:]], axis=1)
    else:
        parts = [artist.get_transform().transform(np.asarray(s, float)) for s in artist.get_segments() if len(s) > 1]
        segs = np.concatenate([np.stack([s[:-1], s[1:]], axis=1) for s in parts]) if parts else np.empty((0, 2, 2))
    box = artist.get_clip_box() if artist.get_clip_on() else None
    if box is None or not len(segs):
        return segs
    t0, t1 = clip(segs, box)
    d = segs[:, 1] - segs[:, 0]
    return np.stack([segs[:, 0] + t0[:, None] * d, segs[:, 0] + t1[:, None] * d], axis=1)[t0 <= t1]


def data_points(artist) -> np.ndarray:
    """The markers an artist draws (Line2D markers, scatter offsets), in pixels."""
    if isinstance(artist, Line2D) and artist.get_marker() not in ("None", "", None, " "):
        return artist.get_transform().transform(np.column_stack([artist.get_xdata(orig=False), artist.get_ydata(orig=False)]))
    if isinstance(artist, PathCollection) and len(artist.get_offsets()):
        return artist.get_offset_transform().transform(artist.get_offsets())
    return np.empty((0, 2))


def opaque(text: Text) -> bool:
    """A text on an opaque box stays readable over a line (the box hides the line)."""
    patch = text.get_bbox_patch()
    return patch is not None and patch.get_visible() and to_rgba(patch.get_facecolor())[3] >= 0.8


def legibility_problems(fig) -> list[str]:
    """Everything that makes ``fig`` hard to read, one sentence each (empty when it is legible):
    a text cut off by the figure's edge; two texts that overlap; an axes without a title (or
    the figure's), or, with its axes shown, without a y label or (unless its ticks are another
    axes' below it) an x label; a line (or the frame)
    through a text, or a text on a bar, unless the text has an opaque box; a legend over a
    line, a data point or a bar."""
    renderer, texts = draw(fig)
    rects = [rectangle(t, renderer) for t in texts]
    name = [repr(t.get_text()[:40]) for t in texts]
    problems = []
    frame = fig.bbox
    for i, r in enumerate(rects):
        c = corners(r)
        if (c.min(axis=0) < (frame.x0 - TOL, frame.y0 - TOL)).any() or (c.max(axis=0) > (frame.x1 + TOL, frame.y1 + TOL)).any():
            problems.append(f"text {name[i]} is cut off by the edge of the figure")
        problems += [f"texts {name[i]} and {name[j]} overlap" for j in range(i + 1, len(rects)) if overlap(r, rects[j])]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        title = ax.get_title() or ax.get_title(loc="left") or ax.get_title(loc="right")
        if not (title or fig.get_suptitle()):
            problems.append(f"an axes has no title (x label {ax.get_xlabel()!r})")
        x_shown = any(t.get_visible() and t.get_text() for t in ax.get_xticklabels())  # not under a shared axis
        if ax.axison and not ((ax.get_xlabel() or not x_shown) and ax.get_ylabel()):
            problems.append(f"axes {title!r} lacks an axis label (x {ax.get_xlabel()!r}, y {ax.get_ylabel()!r})")
        artists = [a for a in [*ax.lines, *ax.collections, *ax.patches] if a.get_visible()]
        lines = [s for a in artists if isinstance(a, (Line2D, LineCollection, FancyArrowPatch))
                 for s in [drawn_segments(a)] if len(s)]
        frame_lines = []  # the frame too: no text may straddle it
        for spine in ax.spines.values() if ax.axison else ():
            if spine.get_visible():
                points = spine.get_transform().transform(spine.get_path().vertices)
                frame_lines.append(np.stack([points[:-1], points[1:]], axis=1))
        bars = [p.get_window_extent(renderer) for p in artists
                if isinstance(p, Rectangle) and p.get_fill() and p.get_width() and p.get_height()]
        for i, r in enumerate(rects):
            if opaque(texts[i]):
                continue
            if any(crosses(s, r) for s in lines + frame_lines):
                problems.append(f"a line crosses text {name[i]}")
            if any(overlap(r, (np.array([(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2]), b.width, b.height, 0.0)) for b in bars):
                problems.append(f"text {name[i]} lies on a bar")
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        if any(through(s, box) for s in lines):
            problems.append(f"the legend of {title!r} covers a line")
        for a in artists:
            pts = data_points(a)
            if ((pts[:, 0] > box.x0 + TOL) & (pts[:, 0] < box.x1 - TOL) & (pts[:, 1] > box.y0 + TOL)
                    & (pts[:, 1] < box.y1 - TOL)).any():
                problems.append(f"the legend of {title!r} covers data points")
                break
        for b in bars:
            inter = Bbox.intersection(b, box)
            if inter is not None and inter.width > TOL and inter.height > TOL:
                problems.append(f"the legend of {title!r} covers a bar")
                break
    return problems


def assert_legible(fig) -> None:
    problems = legibility_problems(fig)
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- the checker itself
def test_checker_finds_each_kind_of_problem_and_passes_a_clean_figure():
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], label="rising")
    ax.text(0.5, 0.5, "on the line")  # a line through a text
    ax.text(0.1, 0.9, "first label")
    ax.text(0.12, 0.9, "second label")  # overlaps the first
    ax.text(1.02, 0.2, "beyond the right edge of the figure", transform=ax.transAxes)
    ax.bar([0.8], [0.3], width=0.1)
    ax.text(0.8, 0.1, "on a bar", ha="center")
    ax.legend(loc="center")  # over the line
    problems = "\n".join(legibility_problems(fig))
    for expected in ("a line crosses text 'on the line'", "texts 'first label' and 'second label' overlap",
                     "is cut off by the edge of the figure", "text 'on a bar' lies on a bar",
                     "the legend of '' covers a line", "an axes has no title", "lacks an axis label"):
        assert expected in problems
    turned = Figure(figsize=(4, 4), layout="constrained")
    ax = turned.subplots()
    ax.set_aspect("equal")
    ax.plot([0, 1], [0, 1])
    ax.text(0.48, 0.52, "along the line", rotation=45, rotation_mode="anchor", ha="center", va="bottom")
    ax.set(title="a title", xlabel="x", ylabel="y")
    assert legibility_problems(turned) == []  # its turned box is clear of the line (its upright box is not)


# ----------------------------------------------------------------------------- the club paper's figures
@pytest.fixture(scope="module")
def symmetric():
    return dependency_sweep(31, np.linspace(0, club_figures.symmetric_range(31), 61))


@pytest.fixture(scope="module")
def asymmetric():
    return dependency_sweep(31, np.linspace(0, 1, 61), asymmetric=True)


def test_figure2_legible_with_the_texts_payoffs():
    world = figure2()
    index_a = solve(world).index_a
    fig = club_figures.figure2(world, index_a, world.n_locations - 1 - index_a)
    assert_legible(fig)
    bars = fig.axes[2].containers
    in_a, in_b, only_34 = ([p.get_height() for p in c] for c in bars)
    assert in_b[2] > in_a[2] and in_b[3] > in_a[3]  # 3 and 4 gain in b's club if all come ...
    assert only_34[2] < in_a[2] and only_34[3] < in_a[3]  # ... not without 1 and 2
    assert in_a[0] > in_b[0] and in_a[1] > in_b[1]  # and 1 and 2 are better off with a


def test_figure3_legible_and_its_backward_induction_is_the_solvers():
    world = figure3()
    table = payoff_table(world)
    replies, choice = club_figures.best_replies(table, world)
    outcome = solve(world)
    assert choice == outcome.index_a and replies[choice] == world.n_locations  # a at 1/2, b forms no club
    assert replies[1] == 2  # the text: b's best reply to 1/4 is 1/2
    assert_legible(club_figures.figure3(world, table))


def test_figure5_legible():
    assert_legible(club_figures.figure5(power_map(31, 11), 31))


def test_figure6_shows_the_three_phases_not_a_flat_line(symmetric):
    for draw in (club_figures.figure6a, club_figures.figure6b):
        fig = draw(symmetric, 31)
        assert_legible(fig)
        low, high = fig.axes[0].get_xlim()
        assert high == pytest.approx(club_figures.symmetric_range(31)) and high < 0.3  # not [0, 1]
        labels = {t.get_text() for t in fig.axes[0].texts}
        assert {"$g_U$", "$g_B$", "$g_B^h$"} <= labels
    # every phase takes a visible share of the width: none, a alone, two equal clubs
    size_a, size_b = symmetric["size_a"], symmetric["size_b"]
    phases = [(size_a == 0) & (size_b == 0), (size_a > 0) & (size_b == 0), (size_a > 0) & (size_a == size_b)]
    assert all(phase.mean() > 0.15 for phase in phases)


def test_figure7_legible(asymmetric):
    for draw in (club_figures.figure7a, club_figures.figure7b):
        assert_legible(draw(asymmetric, 31))


# ----------------------------------------------------------------------------- the alliance map
def test_alliance_map_legible_with_boundary_cases_as_lines():
    data = equilibrium_map(example("japan-2019"), "l", "pi", (-0.9, 0.9), (0.01, 0.25), resolution=7, n_demands=3)
    columns, rows, _curve = alliance_figures.boundaries(data)
    assert list(columns.values()) == ["l = 0"] and list(rows.values()) == ["π = π̄ = 0.13"]
    fig = alliance_figures.equilibrium_map_figure(data)
    assert_legible(fig)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (6, 6)  # the cells on l = 0 and on π = π̄ are not painted as bands ...
    boundary = [ln for ln in ax.lines if ln.get_linewidth() == alliance_figures.BOUNDARY_WIDTH]
    assert {tuple(ln.get_xdata()) for ln in boundary if ln.get_xdata()[0] == ln.get_xdata()[1]} <= {(0.0, 0.0)}
    assert len(boundary) == 6 + 6  # ... but as coloured pieces of the lines l = 0 and π = π̄
    texts = {t.get_text() for t in ax.texts}
    assert {"l = 0", "π = π̄ = 0.13", "π = β̲a* = 0.075", "l = l*(π)"} <= texts  # the dashed lines are named
    assert "pool X: both types of A end the negotiation in X" in alliance_figures.GLOSSARY


# ----------------------------------------------------------------------------- Section 4's figures
@pytest.fixture(scope="module")
def us_china_tables():
    """Tables of the shape ``run.py us-china`` writes: 160 countries, big economies side by side."""
    rng = np.random.default_rng(7)
    members, equilibria = [], []
    for year in (2006, 2019, 2030, 2035):
        location = np.clip(np.r_[rng.normal(0.22, 0.03, 12), rng.uniform(0, 1, 148)], 0, 1)
        gdp = np.r_[rng.uniform(1, 5, 12), rng.lognormal(-2, 1.5, 148)]
        club = np.where(location < 0.45, "USA", np.where(rng.random(160) < 0.05, "none", "CHN"))
        members.append(pd.DataFrame({"year": year, "iso3": [f"C{i:02d}" for i in range(160)], "location": location,
                                     "gdp": gdp, "club": club}))
        equilibria.append(dict(year=year, countries=160, members_us=int((club == "USA").sum()),
                               members_cn=int((club == "CHN").sum()), gdp_us_club=gdp[club == "USA"].sum(),
                               gdp_cn_club=gdp[club == "CHN"].sum(), gdp_us_club_with_us=gdp[club == "USA"].sum() + 20,
                               gdp_cn_club_with_cn=gdp[club == "CHN"].sum() + 14, location_us=0.22, location_cn=0.81,
                               home_us=0.21, home_cn=0.82, gdp_us=20.0, gdp_cn=14.0, mean_g_us=0.1, mean_g_cn=0.15))
    return pd.concat(members, ignore_index=True), pd.DataFrame(equilibria)


def test_figures_8_9_10_and_india_legible(us_china_tables):
    members, equilibria = us_china_tables
    assert_legible(us_china_figures.figure8(equilibria))
    for fig in (us_china_figures.figure9(members, equilibria, (2006, 2019)),
                us_china_figures.figure10(members, equilibria, (2030, 2035))):
        assert_legible(fig)
        captions = [t for t in fig.axes[0].texts if t.get_rotation() == 90]
        assert len(captions) == us_china_figures.TOP  # all 30 captioned, none dropped to make room
    paths = pd.DataFrame({"scale": np.repeat([0.5, 1.0], 3), "year": [2019, 2030, 2035] * 2,
                          "india_club": ["USA", "USA", "none", "USA", "none", "CHN"], "payoff_us": [0.1, 0.02, -0.01, 0.05, -0.02, -0.1]})
    moves = pd.DataFrame({"scale": [0.5, 1.0, 1.0], "year": [2035, 2030, 2035], "from_club": ["USA", "USA", "none"],
                          "to_club": ["none", "none", "CHN"], "n_followers": [0, 2, 1]})
    assert_legible(us_china_figures.india_figure(paths, moves))


def test_three_pole_figures_legible():
    from games.club.many_poles import g_none, sweep
    from scenarios.us_china_poles import POLE_NAMES
    from visualization.poles_figures import pole_clubs_figure, poles_figure

    assert_legible(poles_figure(sweep(12, np.linspace(0, 1, 41)), 12, float(g_none(12))))
    years = [2006, 2019, 2030, 2035]
    three = pd.DataFrame([dict(year=y, pole=p, members=m + i, club_gdp=0.5 * m + i)
                          for i, y in enumerate(years) for p, m in (("USA", 60), ("CHN", 50), ("IND", 10))])
    two = three[three["pole"] != "IND"].assign(members=lambda d: d["members"] + 3)
    poles = ["USA", "CHN", "IND"]
    assert_legible(pole_clubs_figure(three, two, poles, [POLE_NAMES[p] for p in poles]))


# ----------------------------------------------------------------------------- the visual server's figures
@pytest.mark.parametrize("controls", [
    {"rule_a": "myopic"}, {"world_name": "figure2"}, {"world_name": "section3", "n": 61, "g_a": 0.3, "g_b": 0.3},
    {"world_name": "random", "n": 20}, {"world_name": "poles", "n": 30, "g_a": 0.3},
])
@pytest.mark.parametrize("steps", [0, 3, 1000])
def test_club_app_figures_legible(controls, steps):
    model = club_app.ClubVizModel(**{**club_app.default_params(), **controls})
    for _ in range(steps):
        model.step()
    for draw in (club_app.line_figure, club_app.history_figure, club_app.graph_figure):
        assert_legible(draw(model))


@pytest.mark.parametrize("controls, steps", [({}, 0), ({}, 4), ({}, 40), ({"example": "japan-2019", "seed": "1"}, 6)])
def test_alliance_app_figures_legible(controls, steps):
    model = alliance_app.AllianceVizModel(**{**alliance_app.default_params(), **controls})
    for _ in range(steps):
        model.step()
    for draw in (alliance_app.tree_figure, alliance_app.belief_figure, alliance_app.outcomes_figure):
        assert_legible(draw(model))


# ----------------------------------------------------------------------------- run.py figures
def test_figures_command_writes_every_figure(tmp_path, capsys):
    out = tmp_path / "figs"
    code = run.main(["figures", "--out", str(out), "--n", "11", "--points", "5", "--sweep-points", "11",
                     "--resolution", "3", "--n-demands", "2", "--no-progress", "--data-dir", str(tmp_path / "nothing")])
    assert code == 0
    names = {"figure2_first_mover.png", "figure3_game_tree.png", "figure5_power_map.png", "figure5_power_map.csv",
             "figure6a_power.png", "figure6b_locations.png", "figure6_symmetric.csv", "figure7a_sizes.png",
             "figure7b_locations.png", "figure7_asymmetric.csv", "alliance_equilibrium_map.png",
             "alliance_equilibrium_map.json"}
    assert names <= {p.name for p in out.iterdir()}
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert {p for p in printed if p.endswith(".png")} == {n for n in names if n.endswith(".png")}
    assert "figures 8, 9, 10 left out: no US-China data" in captured.err  # said, with the reason
    for png in out.glob("*.png"):
        image = mpimg.imread(png)
        assert image.shape[0] > 200 and image.shape[1] > 200 and image.std() > 0.01  # a drawing, not a blank
    assert len(pd.read_csv(out / "figure6_symmetric.csv")) == 11
    assert len(pd.read_csv(out / "figure5_power_map.csv")) == 25
    regions = json.loads((out / "alliance_equilibrium_map.json").read_text())
    assert regions["x"] == "l" and regions["y"] == "pi"
    assert sum(r["cells"] for r in regions["regions"]) == 9  # a 3 x 3 map


class Bar:
    """A progress bar that records what it is told (the shape of tqdm's that ``Work`` uses)."""

    def __init__(self, total, desc=None):
        self.total, self.n, self.totals = total, 0.0, [total]

    def update(self, amount):
        self.n += amount
        self.totals.append(self.total)


def test_work_estimate_follows_the_measured_time_per_unit():
    bars = []
    work = figures.Work({"5": {"club solve": (100, 1.0)}, "alliance-map": {"alliance cell": (5, 2.0)}},
                        lambda total, desc=None: bars.append(Bar(total)) or bars[-1], {"alliance cell": lambda: None})
    bar = bars[0]
    assert work.probed["alliance cell"] < 0.1  # the probe's time replaces the model's 2 s
    assert bar.total == pytest.approx(100 * 1.0 + 5 * work.probed["alliance cell"] + work.overhead)
    work.advance("club solve", 1, 30.0)  # one unit that carried a batch: too few to tell yet
    assert bar.total == pytest.approx(work.overhead + 30.0 + 99 * 1.0 + 5 * work.probed["alliance cell"])
    work.advance("club solve", 4, 0.0)  # five units in 30 s: 6 s each
    assert bar.total == pytest.approx(work.overhead + 30.0 + 95 * 6.0 + 5 * work.probed["alliance cell"])
    work.advance("alliance cell", 5, 1.0)
    work.advance("club solve", 95, 570.0)
    assert bar.n == pytest.approx(bar.total) and work.estimate() == pytest.approx(work.overhead + 601.0)


def test_figures_progress_advances_by_work_done(tmp_path):
    bars = []
    written = figures.make_figures(tmp_path, ["3", "6"], n=11, sweep_points=9,
                                   bar=lambda total, desc=None: bars.append(Bar(total)) or bars[-1])
    assert [p.name for p in written] == ["figure3_game_tree.png", "figure6a_power.png", "figure6b_locations.png"]
    bar = bars[0]
    assert bar.n == pytest.approx(bar.total)  # all the work, no more
    assert len(bar.totals) > 2 * 9  # every solve of Figure 6 (with b and without) moves it
    plan = figures.work_plan(["3", "6"], n=11, sweep_points=9)
    assert plan["6"]["club solve"][0] == 18 and plan["3"] == {"draw": (1, figures.DRAW_SECONDS["draw"])}


def test_figures_8_9_10_from_the_us_china_data(tmp_path, capsys):
    out = tmp_path / "figs"
    assert run.main(["figures", "--out", str(out), "--only", "8,9,10", "--no-progress"]) == 0
    for name in ("figure8_us_china", "figure9_us_china", "figure10_us_china"):
        assert (out / f"{name}.png").stat().st_size > 10_000 and (out / f"{name}.csv").stat().st_size > 0
    assert set(pd.read_csv(out / "figure8_us_china.csv")["year"]) == set(figures.HISTORICAL)
    assert set(pd.read_csv(out / "figure10_us_china.csv")["year"]) == set(figures.FIGURE10_YEARS)


@pytest.mark.parametrize("argv, message", [
    (["--only", "4"], "--only = '4' must list figures among"),
    (["--resolution", "1"], "--resolution = 1 is outside the allowed range [2,"),
    (["--n-demands", "0"], "--n-demands = 0 is outside the allowed range [1,"),
    (["--example", "atlantis"], "--example = 'atlantis' is not one of"),
    (["--only", "9", "--data-dir", "/nonexistent/spheres-data"], "--data-dir"),
])
def test_figures_bad_parameters_fail_before_any_work(tmp_path, capsys, argv, message):
    assert run.main(["figures", "--out", str(tmp_path / "figs"), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("**/*.png"))

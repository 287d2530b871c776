"""Label placement shared by the figures: text boxes that never overlap.

Matplotlib places each text where it is told and lets texts collide. ``unclutter`` moves
annotations (texts positioned in offset points from an anchor) one at a time, in a given
direction, until each clears every box placed before it. Boxes are measured with
matplotlib's own layout (``get_window_extent``), so call it once the figure's layout is
final (after ``tight_layout``, or on a figure without a layout engine).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

GAP = 2.0
"""Pixels kept free between two labels."""


def _overlaps(box: Bbox, others: Iterable[Bbox]) -> bool:
    return any(box.x0 < o.x1 + GAP and o.x0 < box.x1 + GAP and box.y0 < o.y1 + GAP and o.y0 < box.y1 + GAP
               for o in others)


def unclutter(labels: Sequence[Annotation], direction: tuple[float, float] = (0.0, 1.0),
              avoid: Iterable[Bbox] = (), max_steps: int = 60) -> list[Bbox]:
    """Shift each annotation in turn along ``direction`` until it overlaps no box placed before it.

    ``labels`` must use ``textcoords="offset points"``; the first keeps its place unless it
    hits one of the ``avoid`` boxes (pixels). Each step is the label's own extent along the
    direction plus :data:`GAP`. Returns the final boxes (pixels), in the order given.
    """
    placed = list(avoid)
    boxes = []
    for label in labels:
        fig = label.get_figure(root=True)
        label.get_window_extent()  # updates the annotation's position
        box = Text.get_window_extent(label)  # the text alone, not its leader line
        step_x = direction[0] * (box.width + GAP)
        step_y = direction[1] * (box.height + GAP)
        k = 0
        while _overlaps(box.translated(k * step_x, k * step_y), placed) and k < max_steps:
            k += 1
        if k:
            x, y = label.xyann
            points = 72.0 / fig.dpi  # offsets are in points, boxes in pixels
            label.xyann = (x + k * step_x * points, y + k * step_y * points)
        box = box.translated(k * step_x, k * step_y)
        placed.append(box)
        boxes.append(box)
    return boxes

"""A page footer for platypus documents: a line of text on the left and "page x of y" on
the right above a thin rule, drawn on every page once the number of pages is known. The
footer spans the page it is drawn on, so portrait and landscape pages both get one."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from lvvdesk.reports.consent_form import draw_text_line

__all__ = ["PagedCanvas", "footer_canvas"]


class PagedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds every page back until the document is complete, so a footer
    can say "page x of y"; subclasses draw it in ``draw_footer``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_footer(number, total)
            super().showPage()
        super().save()

    def draw_footer(self, number: int, total: int) -> None:
        """Draw the footer of page ``number`` of ``total``."""
        raise NotImplementedError


def footer_canvas(left: str, page: str, *, margin: float, footer_y: float) -> type[Canvas]:
    """A canvas class that draws ``left`` and ``page`` (a format with ``{n}`` and
    ``{total}``, e.g. "page {n} of {total}") at ``footer_y`` on every page, ``margin``
    in from both sides, under a rule 10 points higher."""

    class FooterCanvas(PagedCanvas):
        def draw_footer(self, number: int, total: int) -> None:
            width = float(self._pagesize[0])
            self.saveState()
            self.setStrokeColor(colors.HexColor("#999999"))
            self.setLineWidth(0.5)
            self.line(margin, footer_y + 10, width - margin, footer_y + 10)
            self.setFillColor(colors.HexColor("#444444"))
            draw_text_line(self, left, margin, footer_y, 7.5)
            text = page.format(n=number, total=total)
            draw_text_line(self, text, width - margin, footer_y, 7.5, align="right")
            self.restoreState()

    return FooterCanvas

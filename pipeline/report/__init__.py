"""HTML views of results: the per-note review view (note text with every evidence span highlighted beside
its facts, code lines and gaps), shared by ``billfacts analyze --format html``, the service's ``/review``
page and batch reports."""

from .review import review_html, review_page

__all__ = ["review_html", "review_page"]

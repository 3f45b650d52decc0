"""Words the whole service shares, defined once: how many firms a publication reaches by default and at most."""

from __future__ import annotations

# Targeted publication (定向发布): the best-fitting firms each need is delivered to. One default and one cap for
# needs, challenges and catalogues alike; more than a few hundred firms is a broadcast, not a targeted delivery.
DEFAULT_TOP_N = 50
MAX_TOP_N = 200

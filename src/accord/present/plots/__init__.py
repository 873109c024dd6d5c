"""Static charts (PNG/SVG via matplotlib's Agg backend; nothing happens at import time)."""

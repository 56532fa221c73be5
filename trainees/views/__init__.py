"""Pages of the trainees app (thin: parse, call one service or selector, render)."""

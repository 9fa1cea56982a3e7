"""Figures kept on write (issue: the nation).

What the rollup needs from the entries, kept in tables updated in the same transaction as every write
(entry_totals), and each plan's published figures, stored per plan and year and recomputed by a task after
writes to the plan (plan_figures). Pages over many plans read the stored figures instead of the entries.
"""

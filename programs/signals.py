"""Signals of the plan app, for the apps above it (which programs never imports).

`plan_data_changed(plan_id)`: a write to a plan's entries, targets or indicators was committed (every such
write moves the plan's data version on, Plan.bump_data_version). The reports app builds the plan's files
ahead of the next download on it (reports.built).
"""

from django.dispatch import Signal

plan_data_changed = Signal()

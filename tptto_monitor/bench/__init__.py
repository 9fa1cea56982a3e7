"""Benchmarks (`manage.py bench`): a development package, not part of what the pages run.

It generates data (`data`) and times the pages and summaries over it
(`timing`). It sits beside the settings rather than in one of the three apps
because it uses all of them: it writes plans and entries (which `reports`,
a layer that only reads, must never do) and it times the `reports` pages
(which `programs` and `indicators`, below `reports` in the data flow, must not
import).
"""

"""Files built ahead: a plan's analysis dataset and annual summaries built by a task after its data changed,
served from storage.

After a write to a plan is committed (programs.signals.plan_data_changed), `schedule` queues one build
a minute later; writes within that minute queue nothing more (a key in the jobs cache, taken with the
atomic `add`), so a burst of writes gives one build, of the data as it stands when the burst is over.
The task builds the dataset (CSV and XLSX, Indonesian and English), then every year's summary and the
whole plan's in every format and both languages (summary_files), and stores each file under the plan's data
version and calendar point (`store`), so the next download reads a file instead of computing a rollup in the
request. A download of a version still being built waits for that build (reading); one with no build coming
(no worker, or a semester began or a deadline passed) builds once and stores its file for the next.
"""

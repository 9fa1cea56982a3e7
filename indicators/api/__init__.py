"""REST API v1 (django-ninja): read the plan and its figures, write entries through the workflow.

`tokens` holds the personal API token model (imported by indicators.models so that Django
sees it); `v1` builds the API and is imported only by the URLs.
"""

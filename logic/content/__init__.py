"""Reading and checking a content folder (the Markdown tool pages and the YAML lists).

- files.py: where the content is, listing and reading its files, the signature that
  tells the app the content changed and the fingerprint a brief prints. It imports
  nothing from logic/ (logic/model.py imports it).
- yaml_safe.py: YAML without anchors, aliases or duplicate keys; front matter.
- fields.py: a page's problems (`ProblemSink`) and the per-field validators.
- tool_page.py: one tool page (`parse_tool`), its keys and its decision fields.
- lists.py: goals.yaml, challenges.yaml, indicators.yaml and catalog.yaml.
- links.py: names of other tools resolved (related tools, `buildsOn`).
- load.py: `load_catalog`, the whole folder, and the catalog-wide checks.

This file imports nothing, so that importing files.py loads nothing else.
"""

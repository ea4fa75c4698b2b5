"""Helpers shared by the tests and the benchmark (neither imports the other): the app
under `streamlit run` with Chromium (server), and large generated catalogs (generate)."""

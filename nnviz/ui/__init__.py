"""The Streamlit page: controls -> Config, the live loop, charts, sharing, downloads.

The only package that imports streamlit; it does no math of its own.
"""

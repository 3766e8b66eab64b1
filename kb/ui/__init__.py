"""The Streamlit front end: ``nav`` routes, one module per page renders, ``present`` holds the
pure (unit-tested) HTML/link/chart helpers, ``state`` the cached knowledge base and reads.

Rule for every page: document text is untrusted and reaches the screen only escaped
(``present.highlight`` / ``present.quote_in_context``), never through unsafe HTML.
"""

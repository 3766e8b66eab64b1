"""trial-kb in the browser: `streamlit run app.py` (or `make run`).

Routing only: the pages live in kb/ui/ as render functions over the same library calls as the
`kb` command. The knowledge base is opened once per process (kb.ui.state.get_kb).
"""

from kb.ui.nav import main

main()

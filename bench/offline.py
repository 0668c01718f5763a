"""What every benchmark needs before it imports ``qa``: the repository on ``sys.path`` and the
offline environment (no model download, no tokenizer thread pool fighting the server's threads).

    from offline import ROOT  # noqa: E402  (in a script run as ``python bench/<name>.py``)

``OFFLINE`` is the same environment for the subprocesses a benchmark starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
for _name, _value in OFFLINE.items():
    os.environ.setdefault(_name, _value)

"""pytest set-up: import mlc from the build tree."""

import os
import sys

_BUILD = os.environ.get(
    "MLC_BUILD_DIR",
    os.path.join(os.path.dirname(__file__), "..", "..", "build"))
sys.path.insert(0, os.path.abspath(os.path.join(_BUILD, "python")))
sys.path.insert(0, os.path.dirname(__file__))

"""Session-wide test settings."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    # Indexes that readers cache (limix.io.bgen) go to a folder of this run, not the user's
    # ~/.cache; subprocesses inherit it.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="limix-test-cache-")

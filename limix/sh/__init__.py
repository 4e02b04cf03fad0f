"""Shell utilities: download, extract, hash and remove files.

``download`` writes atomically (no partial file on failure); ``extract`` refuses archive members
that would land outside the destination and never overwrites an existing file.
"""

from ._download import download
from ._extract import extract
from ._hash import filehash
from ._remove import remove

__all__ = ["download", "extract", "filehash", "remove"]

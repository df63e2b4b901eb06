"""Files that cross the sandbox's boundary: copied without ever following a link, within a size."""

import os
import shutil
import stat
from pathlib import Path


def copy_files(source, target, limit):
    """Copy the regular files under source to target, never through a link, at most `limit`
    bytes in all; notebooks and hidden files are left out. Returns the names left out (links,
    devices, pipes, what exceeds the limit)."""
    source, target, room, left_out = Path(source), Path(target), limit, []
    target.mkdir(parents=True, exist_ok=True)
    for folder, subfolders, files in os.walk(source):  # does not enter linked folders
        linked = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        left_out += [str(Path(folder, name).relative_to(source)) for name in linked]
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in linked]
        for name in sorted(files):
            path = Path(folder, name)
            info = os.lstat(path)
            if name.startswith(".") or name.endswith(".ipynb"):
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_size > room:
                left_out.append(str(path.relative_to(source)))
                continue
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "rb", opener=nofollow) as data, open(copy, "xb") as written:
                shutil.copyfileobj(data, written)
            room -= info.st_size
    return left_out


def nofollow(path, flags):
    """An opener for open() that refuses a link."""
    return os.open(path, flags | os.O_NOFOLLOW)

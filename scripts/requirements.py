"""Print the dependencies declared in pyproject.toml, one per line, for pip -r.

The project is an application, not a package, so there is nothing to build;
this keeps pyproject.toml the one place where dependencies are declared.
"""

import sys
import tomllib
from pathlib import Path

data = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
requirements = list(data["project"]["dependencies"])
for group in sys.argv[1:]:
    requirements += data["dependency-groups"][group]
print("\n".join(requirements))

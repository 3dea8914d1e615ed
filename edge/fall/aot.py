"""Build the detector's frame kernel ahead of time: `python -m edge.fall.aot`.

numba's pycc compiles `edge.fall.detector._frame` (and all it calls) into an extension
module, `edge/fall/_aot*.so`, that needs neither numba nor LLVM to run, so the agent on a
Pi loads a small shared library instead of a compiler. The module carries the digest of
the source it was built from; `edge.fall.stream` ignores a build from other source.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

from edge.fall.stream import HERE, source_digest


def build(out_dir: Path = HERE) -> Path:
    """Compile the kernel into `out_dir`; the path of the extension module."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycc is "pending deprecation" in numba 0.68
        from numba import pycc  # noqa: PLC0415

        from edge.fall.detector import _frame  # noqa: PLC0415

    digest = source_digest()
    make_cc: Any = pycc.CC  # type: ignore[attr-defined]  # numba.pycc is untyped
    cc: Any = make_cc("_aot")
    cc.output_dir = str(out_dir)
    cc.verbose = False

    @cc.export("frame", "i8(f8[::1], f8[:, ::1])")
    def frame(buffer, xyz):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202 (numba types it)
        return _frame(buffer, xyz)

    @cc.export("digest", "i8()")
    def digest_of():  # type: ignore[no-untyped-def]  # noqa: ANN202
        return digest

    del frame, digest_of  # registered with cc
    cc.compile()
    (built,) = out_dir.glob("_aot*.so")
    return built


if __name__ == "__main__":
    sys.stdout.write(f"{build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)}\n")

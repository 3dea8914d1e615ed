"""The fall detector's model: its features, its terms, and a logistic fit of its weights.

The model is logistic over the ten features and their pairwise products (65 terms), each
standardised. `continuo fall train` fits it on labelled recordings and writes the weights
to `edge.fall.weights`; `continuo fall evaluate` refits it per subject to cross-validate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

FEATURES: Final = (
    "log peak SVM",
    "lowest SVM in the second before",
    "seconds below 0.75 g in the 1.5 s before",
    "log SVM deviation 3-1 s before",
    "log mean |SVM - 1 g| 3-1 s before",
    "log g-seconds above 1 g within 0.5 s",
    "log SVM deviation from 0.2 s to 1 s before the decision",
    "log SVM deviation in the last second",
    "|mean SVM - 1 g| in the last second",
    "cosine of the turn of gravity",
)
N_FEATURES: Final = len(FEATURES)
N_TERMS: Final = N_FEATURES + N_FEATURES * (N_FEATURES + 1) // 2


@dataclass(frozen=True)
class Model:
    """score = bias + sum(weight * (term - mean) / scale) over the terms of `expand`."""

    bias: float
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def __post_init__(self) -> None:
        """Each table has one entry per feature."""
        if not len(self.weights) == len(self.mean) == len(self.scale) == N_TERMS:
            msg = f"a model needs {N_TERMS} weights, means and scales"
            raise ValueError(msg)


def expand(features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The model's terms for rows of features: each feature, then each product (i <= j)."""
    n = features.shape[1]
    pairs = [features[:, i] * features[:, j] for i in range(n) for j in range(i, n)]
    return np.column_stack([features, *pairs])


def fit(
    features: npt.NDArray[np.float64], falls: npt.NDArray[np.bool_], *, l2: float = 1.0
) -> Model:
    """Logistic regression by Newton's method, with an L2 penalty on standardised terms."""
    terms = expand(features)
    mean = terms.mean(axis=0)
    scale = terms.std(axis=0) + 1e-9
    z = np.column_stack([np.ones(len(terms)), (terms - mean) / scale])
    y = falls.astype(np.float64)
    penalty = l2 * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    w = np.zeros(z.shape[1])
    for _ in range(100):
        prob = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (prob - y) + penalty @ w
        hess = (z * (prob * (1.0 - prob))[:, None]).T @ z + penalty
        move = np.linalg.solve(hess, grad)
        w -= move
        if np.abs(move).max() < 1e-9:  # noqa: PLR2004
            break
    return Model(
        bias=float(w[0]),
        weights=tuple(float(v) for v in w[1:]),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
    )


def score(model: Model, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The model's score for rows of features (what the detector computes, vectorised)."""
    terms = (expand(features) - np.array(model.mean)) / np.array(model.scale)
    result: npt.NDArray[np.float64] = model.bias + terms @ np.array(model.weights)
    return result


def source(model: Model) -> str:
    """Python source of a module holding `model` as `DEFAULT_MODEL`."""

    def floats(values: tuple[float, ...]) -> str:
        return "(\n" + "".join(f"        {v!r},\n" for v in values) + "    )"

    return (
        '"""The fall model\'s weights, written by `continuo fall train`; do not edit."""\n\n'
        "from edge.fall.model import Model\n\n"
        "DEFAULT_MODEL = Model(\n"
        f"    bias={model.bias!r},\n"
        f"    weights={floats(model.weights)},\n"
        f"    mean={floats(model.mean)},\n"
        f"    scale={floats(model.scale)},\n"
        ")\n"
    )

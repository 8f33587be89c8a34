"""Activation functions of neural networks: numeric, derived, verified.

>>> import activations as act
>>> act.get("Leaky-ReLU").name
'leaky_relu'
"""

from . import (  # noqa: F401  (importing a family module registers its activations)
    adaptive,
    exponential,
    linear,
    periodic,
    rectifier,
    searched,
    self_gated,
    shrinkage,
    sigmoidal,
    soft_rectifier,
    symbolic,
    vector,
)
from .registry import (
    Activation,
    Kink,
    Param,
    all_activations,
    catalogue,
    get,
    names,
    register,
)

__all__ = [
    "Activation",
    "Kink",
    "Param",
    "all_activations",
    "catalogue",
    "get",
    "names",
    "register",
    "symbolic",
]

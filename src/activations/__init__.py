"""Activation functions of neural networks: numeric, derived, verified.

>>> import activations as act
>>> act.get("Leaky-ReLU").name
'leaky_relu'
"""

from . import exponential, rectifier, self_gated, sigmoidal, symbolic  # noqa: F401  (they register)
from .registry import Activation, Kink, Param, all_activations, get, names, register

__all__ = [
    "Activation",
    "Kink",
    "Param",
    "all_activations",
    "get",
    "names",
    "register",
    "symbolic",
]

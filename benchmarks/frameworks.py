"""What PyTorch, JAX, Keras and TensorFlow return, measured against mpmath.

For every activation a framework has (built in, or the one-line composition the
registry gives for it), this runs the framework's value and its autograd derivative
in float32 and float64

- at every kink (the value and the derivative it returns there),
- on the grid every chapter's Verification section uses (``verify.grid``) within
  |x| <= 1e4: a dense core, both tails out to 1e4, points beside each kink, and
- in the far tails, from ±1e4 out to ± the largest finite number of the format,

and compares them with the mpmath reference of ``verify`` (the SymPy expression at 50
digits or more) in condition-scaled ULP. This book's own kernels are measured on the
same points. The summaries go to ``src/activations/data/frameworks.json``, which the
chapters' framework tables and the appendix page "How accurate are the frameworks?"
read, with the versions, the date and the machine.

    python benchmarks/frameworks.py                 # measure, write the data file
    python benchmarks/frameworks.py --only relu elu # a few (merged into the file)
    python benchmarks/frameworks.py --check         # only compare the file's kink
                                                    # values with the registry

The exit status is 1 when a measured kink derivative disagrees with what the
registry's ``Kink.frameworks`` says the framework returns (each disagreement is
printed), or when a dotted name the registry gives does not exist in the installed
framework. Keras runs on the JAX backend (``KERAS_BACKEND=jax``).
"""

from __future__ import annotations

import argparse
import ast
import datetime
import importlib
import inspect
import json
import math
import os
import platform
import re
import sys
import traceback
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

import activations as act  # noqa: E402
from activations import symbolic, tables, verify  # noqa: E402
from activations.vector import verify as vector_verify  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "activations" / "data" / "frameworks.json"
DTYPES = ("float32", "float64")
FAR_POINTS = 12
"""Magnitudes from 1e4 to the largest finite number, log-spaced, on each side."""


# --- the frameworks ---------------------------------------------------------------
# Each framework gives: its version, and value_and_grad(f, x) -> (f(x), f'(x)) for an
# elementwise f on a NumPy array x of one float dtype, the derivative by the
# framework's own reverse-mode autograd (the vector-Jacobian product with ones).


class Torch:
    key = "pytorch"

    def __init__(self):
        import torch
        import torch.nn.functional as F  # noqa: N812

        torch.set_num_threads(1)
        self.torch, self.F = torch, F
        self.version = torch.__version__

    def value_and_grad(self, f, x, g=None):
        t = self.torch.tensor(x, requires_grad=True)
        y = f(t)
        g = self.torch.ones_like(y) if g is None else self.torch.tensor(g)
        (d,) = self.torch.autograd.grad(y, t, g)
        return y.detach().numpy(), d.numpy()

    def namespace(self):
        return {"torch": self.torch, "F": self.F, "math": math}

    def value(self, f, x):
        return f(self.torch.tensor(x)).numpy()

    def calls(self):
        torch, F = self.torch, self.F  # noqa: N806

        def prelu(x):
            return F.prelu(x, torch.tensor([0.25], dtype=x.dtype))

        return {
            "absolute": (True, "torch.abs(x)", torch.abs),
            "arctan": (True, "torch.atan(x)", torch.atan),
            "bent_identity": (False, "(torch.sqrt(x * x + 1) - 1) / 2 + x",
                              lambda x: (torch.sqrt(x * x + 1) - 1) / 2 + x),
            "bipolar_sigmoid": (False, "torch.tanh(x / 2)",
                                lambda x: torch.tanh(x / 2)),
            "celu": (True, "F.celu(x, alpha=1.0)", lambda x: F.celu(x, alpha=1.0)),
            "clipped_gelu": (False, "torch.clip(F.gelu(x), -10, 10)",
                             lambda x: torch.clip(F.gelu(x), -10, 10)),
            "cos": (True, "torch.cos(x)", torch.cos),
            "elliott_sigmoid": (False, "0.5 * x / (1 + torch.abs(x)) + 0.5",
                                lambda x: 0.5 * x / (1 + torch.abs(x)) + 0.5),
            "cosper": (False, "torch.cos(x) - x", lambda x: torch.cos(x) - x),
            "arctid": (False, "torch.atan(x) ** 2 - x",
                       lambda x: torch.atan(x) ** 2 - x),
            "cube": (False, "torch.pow(x, 3)", lambda x: torch.pow(x, 3)),
            "elu": (True, "F.elu(x, alpha=1.0)", lambda x: F.elu(x, alpha=1.0)),
            "exponential": (True, "torch.exp(x)", torch.exp),
            "gaussian": (False, "torch.exp(-x**2)", lambda x: torch.exp(-x**2)),
            "gelu": (True, "F.gelu(x)", F.gelu),
            "gelu_tanh": (True, "F.gelu(x, approximate='tanh')",
                          lambda x: F.gelu(x, approximate="tanh")),
            "gelu_sigmoid": (False, "x * torch.sigmoid(1.60033 * x"
                                    " * (1 + 0.0433603 * x**2))",
                             lambda x: x * torch.sigmoid(
                                 1.60033 * x * (1 + 0.0433603 * x**2))),
            "hard_mish": (False, "0.5 * x * torch.clamp(x + 2, 0, 2)",
                          lambda x: 0.5 * x * torch.clamp(x + 2, 0, 2)),
            "hard_sigmoid": (True, "F.hardsigmoid(x)", F.hardsigmoid),
            "hard_swish": (True, "F.hardswish(x)", F.hardswish),
            "hard_tanh": (True, "F.hardtanh(x, -1.0, 1.0)",
                          lambda x: F.hardtanh(x, -1.0, 1.0)),
            "hardshrink": (True, "F.hardshrink(x, lambd=0.5)",
                           lambda x: F.hardshrink(x, lambd=0.5)),
            "identity": (True, "torch.nn.Identity()(x)", torch.nn.Identity()),
            "isrlu": (False, "torch.where(x >= 0, x, x * torch.rsqrt(1 + x * x))",
                      lambda x: torch.where(x >= 0, x, x * torch.rsqrt(1 + x * x))),
            "isru": (False, "x * torch.rsqrt(1 + x**2)",
                     lambda x: x * torch.rsqrt(1 + x**2)),
            "leaky_relu": (True, "F.leaky_relu(x, negative_slope=0.01)",
                           lambda x: F.leaky_relu(x, negative_slope=0.01)),
            "lecun_tanh": (False, "1.7159 * torch.tanh(2 * x / 3)",
                           lambda x: 1.7159 * torch.tanh(2 * x / 3)),
            "lisht": (False, "x * torch.tanh(x)", lambda x: x * torch.tanh(x)),
            "tanhexp": (False, "x * torch.tanh(torch.exp(x))",
                        lambda x: x * torch.tanh(torch.exp(x))),
            "serf": (False, "x * torch.erf(F.softplus(x))",
                     lambda x: x * torch.erf(F.softplus(x))),
            "smish": (False,
                      "x * torch.tanh(torch.log1p(torch.sigmoid(x)))",
                      lambda x: x * torch.tanh(torch.log1p(torch.sigmoid(x)))),
            "elish": (False,
                      "torch.where(x >= 0, x, torch.expm1(x)) * torch.sigmoid(x)",
                      lambda x: (torch.where(x >= 0, x, torch.expm1(x))
                                 * torch.sigmoid(x))),
            "hard_elish": (False,
                           "torch.where(x >= 0, x, torch.expm1(x))"
                           " * torch.clamp((x + 1) / 2, 0, 1)",
                           lambda x: (torch.where(x >= 0, x, torch.expm1(x))
                                      * torch.clamp((x + 1) / 2, 0, 1))),
            "log_log": (False, "-torch.expm1(-torch.exp(x))",
                        lambda x: -torch.expm1(-torch.exp(x))),
            "log_sigmoid": (True, "F.logsigmoid(x)", F.logsigmoid),
            "maxsig": (False, "torch.maximum(x, torch.sigmoid(x))",
                       lambda x: torch.maximum(x, torch.sigmoid(x))),
            "maxtanh": (False, "torch.maximum(x, torch.tanh(x))",
                        lambda x: torch.maximum(x, torch.tanh(x))),
            "minsin": (False, "torch.minimum(x, torch.sin(x))",
                       lambda x: torch.minimum(x, torch.sin(x))),
            "mish": (True, "F.mish(x)", F.mish),
            "normal_cdf": (True, "torch.special.ndtr(x)", torch.special.ndtr),
            "penalized_tanh": (False, "torch.where(x > 0, torch.tanh(x), "
                                      "0.25 * torch.tanh(x))",
                               lambda x: torch.where(x > 0, torch.tanh(x),
                                                     0.25 * torch.tanh(x))),
            "prelu": (True, "F.prelu(x, torch.tensor([0.25]))", prelu),
            "quick_gelu": (False, "x * torch.sigmoid(1.702 * x)",
                           lambda x: x * torch.sigmoid(1.702 * x)),
            "relu": (True, "F.relu(x)", F.relu),
            "relu6": (True, "F.relu6(x)", F.relu6),
            "relu_n": (False, "F.hardtanh(x, 0.0, 6.0)",
                       lambda x: F.hardtanh(x, 0.0, 6.0)),
            "rrelu": (True, "F.rrelu(x, 1/8, 1/3, training=False)",
                      lambda x: F.rrelu(x, 1 / 8, 1 / 3, training=False)),
            "selu": (True, "F.selu(x)", F.selu),
            "sigmoid": (True, "torch.sigmoid(x)", torch.sigmoid),
            "sign": (True, "torch.sign(x)", torch.sign),
            "shifted_softplus": (False, "F.softplus(x) - math.log(2.0)",
                                 lambda x: F.softplus(x) - math.log(2.0)),
            "sqrt_softplus": (False, "F.softplus(x).sqrt()",
                              lambda x: F.softplus(x).sqrt()),
            "laplace": (False, "0.5 * (1.0 + torch.erf((x - 0.707107) / (0.282095 * "
                               "math.sqrt(2.0))))",
                        lambda x: 0.5 * (1.0 + torch.erf(
                            (x - 0.707107) / (0.282095 * math.sqrt(2.0))))),
            "xielu": (False, "torch.where(x > 0, 0.8 * x * x + 0.5 * x, (torch.expm1("
                             "torch.clamp(x, max=-1e-6)) - x) * 0.8 + 0.5 * x)",
                      lambda x: torch.where(x > 0, 0.8 * x * x + 0.5 * x, (torch.expm1(
                          torch.clamp(x, max=-1e-6)) - x) * 0.8 + 0.5 * x)),
            "silu": (True, "F.silu(x)", F.silu),
            "sin": (True, "torch.sin(x)", torch.sin),
            "sinc": (True, "torch.sinc(x / math.pi)",
                     lambda x: torch.sinc(x / math.pi)),
            "snake": (False, "x + torch.sin(x) ** 2", lambda x: x + torch.sin(x) ** 2),
            "softplus": (True, "F.softplus(x, beta=1.0, threshold=20.0)",
                         lambda x: F.softplus(x, beta=1.0, threshold=20.0)),
            "softshrink": (True, "F.softshrink(x, lambd=0.5)",
                           lambda x: F.softshrink(x, lambd=0.5)),
            "softsign": (True, "F.softsign(x)", F.softsign),
            "sparse_plus": (False, "torch.where(x <= -1, 0, torch.where(x >= 1, x, "
                                   "(x + 1)**2 / 4))",
                            lambda x: torch.where(x <= -1, 0, torch.where(
                                x >= 1, x, (x + 1) ** 2 / 4))),
            "sparse_sigmoid": (False, "torch.clamp((x + 1) / 2, 0, 1)",
                               lambda x: torch.clamp((x + 1) / 2, 0, 1)),
            "squared_relu": (False, "torch.square(torch.relu(x))",
                             lambda x: torch.square(torch.relu(x))),
            "squareplus": (False, "(x + torch.sqrt(x * x + 4)) / 2",
                           lambda x: (x + torch.sqrt(x * x + 4)) / 2),
            "step": (True, "torch.heaviside(x, torch.tensor(1.0))",
                     lambda x: torch.heaviside(x, torch.tensor(1.0, dtype=x.dtype))),
            "tanh": (True, "torch.tanh(x)", torch.tanh),
            "tanhshrink": (True, "F.tanhshrink(x)", F.tanhshrink),
            "threshold": (True, "F.threshold(x, 1.0, 0.0)",
                          lambda x: F.threshold(x, 1.0, 0.0)),
        }


class Jax:
    key = "jax"

    def __init__(self):
        import jax

        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        self.jax, self.jnp = jax, jnp
        self.version = jax.__version__

    def value_and_grad(self, f, x, g=None):
        jx = self.jnp.asarray(x)
        y, vjp = self.jax.vjp(f, jx)
        (d,) = vjp(self.jnp.ones_like(y) if g is None else self.jnp.asarray(g))
        return np.asarray(y), np.asarray(d)

    def namespace(self):
        return {"jax": self.jax, "jnp": self.jnp}

    def value(self, f, x):
        return np.asarray(f(self.jnp.asarray(x)))

    def calls(self):
        jax, jnp = self.jax, self.jnp
        nn = jax.nn
        lax = jax.lax
        from jax.scipy.special import ndtr
        from jax.scipy.stats import norm

        return {
            "absolute": (True, "jnp.abs(x)", jnp.abs),
            "arctan": (True, "jnp.arctan(x)", jnp.arctan),
            "bent_identity": (False, "(jnp.sqrt(x * x + 1) - 1) / 2 + x",
                              lambda x: (jnp.sqrt(x * x + 1) - 1) / 2 + x),
            "bipolar_sigmoid": (False, "jnp.tanh(x / 2)", lambda x: jnp.tanh(x / 2)),
            "celu": (True, "jax.nn.celu(x, alpha=1.0)",
                     lambda x: nn.celu(x, alpha=1.0)),
            "clipped_gelu": (False,
                             "jnp.clip(jax.nn.gelu(x, approximate=False), -10, 10)",
                             lambda x: jnp.clip(nn.gelu(x, approximate=False),
                                                -10, 10)),
            "cos": (True, "jnp.cos(x)", jnp.cos),
            "cosper": (False, "jnp.cos(x) - x", lambda x: jnp.cos(x) - x),
            "arctid": (False, "jnp.arctan(x) ** 2 - x",
                       lambda x: jnp.arctan(x) ** 2 - x),
            "cube": (False, "x ** 3", lambda x: x**3),
            "elu": (True, "jax.nn.elu(x, alpha=1.0)", lambda x: nn.elu(x, alpha=1.0)),
            "elliott_sigmoid": (False, "0.5 * x / (1 + jnp.abs(x)) + 0.5",
                                lambda x: 0.5 * x / (1 + jnp.abs(x)) + 0.5),
            "exponential": (True, "jnp.exp(x)", jnp.exp),
            "gaussian": (False, "jnp.exp(-x**2)", lambda x: jnp.exp(-x**2)),
            "gelu": (True, "jax.nn.gelu(x, approximate=False)",
                     lambda x: nn.gelu(x, approximate=False)),
            "gelu_tanh": (True, "jax.nn.gelu(x)", nn.gelu),
            "gelu_sigmoid": (False, "x * jax.nn.sigmoid(1.60033 * x"
                                    " * (1 + 0.0433603 * x**2))",
                             lambda x: x * nn.sigmoid(
                                 1.60033 * x * (1 + 0.0433603 * x**2))),
            "hard_mish": (False, "0.5 * x * jnp.clip(x + 2, 0, 2)",
                          lambda x: 0.5 * x * jnp.clip(x + 2, 0, 2)),
            "hard_sigmoid": (True, "jax.nn.hard_sigmoid(x)", nn.hard_sigmoid),
            "hard_swish": (True, "jax.nn.hard_swish(x)", nn.hard_swish),
            "hard_tanh": (True, "jax.nn.hard_tanh(x)", nn.hard_tanh),
            "hardshrink": (False, "jnp.where(jnp.abs(x) > 0.5, x, 0.0)",
                           lambda x: jnp.where(jnp.abs(x) > 0.5, x, 0.0)),
            "identity": (True, "jax.nn.identity(x)", lambda x: nn.identity(x)),
            "isrlu": (False, "jnp.where(x >= 0, x, x * jax.lax.rsqrt(1 + x * x))",
                      lambda x: jnp.where(x >= 0, x, x * lax.rsqrt(1 + x * x))),
            "isru": (False, "x * jax.lax.rsqrt(1 + x**2)",
                     lambda x: x * lax.rsqrt(1 + x**2)),
            "leaky_relu": (True, "jax.nn.leaky_relu(x, negative_slope=0.01)",
                           lambda x: nn.leaky_relu(x, negative_slope=0.01)),
            "lecun_tanh": (False, "1.7159 * jnp.tanh(2 * x / 3)",
                           lambda x: 1.7159 * jnp.tanh(2 * x / 3)),
            "lisht": (False, "x * jnp.tanh(x)", lambda x: x * jnp.tanh(x)),
            "tanhexp": (False, "x * jnp.tanh(jnp.exp(x))",
                        lambda x: x * jnp.tanh(jnp.exp(x))),
            "serf": (False, "x * jax.scipy.special.erf(jax.nn.softplus(x))",
                     lambda x: x * jax.scipy.special.erf(nn.softplus(x))),
            "smish": (False, "x * jnp.tanh(jnp.log1p(jax.nn.sigmoid(x)))",
                      lambda x: x * jnp.tanh(jnp.log1p(nn.sigmoid(x)))),
            "elish": (False,
                      "jnp.where(x >= 0, x, jnp.expm1(x)) * jax.nn.sigmoid(x)",
                      lambda x: jnp.where(x >= 0, x, jnp.expm1(x)) * nn.sigmoid(x)),
            "hard_elish": (False,
                           "jnp.where(x >= 0, x, jnp.expm1(x))"
                           " * jnp.clip((x + 1) / 2, 0, 1)",
                           lambda x: (jnp.where(x >= 0, x, jnp.expm1(x))
                                      * jnp.clip((x + 1) / 2, 0, 1))),
            "log_log": (False, "-jnp.expm1(-jnp.exp(x))",
                        lambda x: -jnp.expm1(-jnp.exp(x))),
            "log_sigmoid": (True, "jax.nn.log_sigmoid(x)", nn.log_sigmoid),
            "maxsig": (False, "jnp.maximum(x, jax.nn.sigmoid(x))",
                       lambda x: jnp.maximum(x, nn.sigmoid(x))),
            "maxtanh": (False, "jnp.maximum(x, jnp.tanh(x))",
                        lambda x: jnp.maximum(x, jnp.tanh(x))),
            "minsin": (False, "jnp.minimum(x, jnp.sin(x))",
                       lambda x: jnp.minimum(x, jnp.sin(x))),
            "mish": (True, "jax.nn.mish(x)", nn.mish),
            "normal_cdf": (True, "jax.scipy.special.ndtr(x)", ndtr),
            "penalized_tanh": (False,
                               "jnp.where(x > 0, jnp.tanh(x), 0.25 * jnp.tanh(x))",
                               lambda x: jnp.where(x > 0, jnp.tanh(x),
                                                   0.25 * jnp.tanh(x))),
            "quick_gelu": (False, "x * jax.nn.sigmoid(1.702 * x)",
                           lambda x: x * nn.sigmoid(1.702 * x)),
            "relu": (True, "jax.nn.relu(x)", nn.relu),
            "relu6": (True, "jax.nn.relu6(x)", nn.relu6),
            "relu_n": (False, "jnp.clip(x, 0.0, 6.0)", lambda x: jnp.clip(x, 0.0, 6.0)),
            "selu": (True, "jax.nn.selu(x)", nn.selu),
            "sigmoid": (True, "jax.nn.sigmoid(x)", nn.sigmoid),
            "sign": (True, "jnp.sign(x)", jnp.sign),
            "shifted_softplus": (False, "jax.nn.softplus(x) - math.log(2.0)",
                                 lambda x: nn.softplus(x) - math.log(2.0)),
            "sqrt_softplus": (False, "jnp.sqrt(jax.nn.softplus(x))",
                              lambda x: jnp.sqrt(nn.softplus(x))),
            "laplace": (False, "jax.scipy.stats.norm.cdf(x, 0.707107, 0.282095)",
                        lambda x: norm.cdf(x, 0.707107, 0.282095)),
            "silu": (True, "jax.nn.silu(x)", nn.silu),
            "sin": (True, "jnp.sin(x)", jnp.sin),
            "sinc": (True, "jnp.sinc(x / jnp.pi)", lambda x: jnp.sinc(x / jnp.pi)),
            "snake": (False, "x + jnp.sin(x) ** 2", lambda x: x + jnp.sin(x) ** 2),
            "rrelu": (False, "jax.nn.leaky_relu(x, (1/8 + 1/3) / 2)",
                      lambda x: nn.leaky_relu(x, (1 / 8 + 1 / 3) / 2)),
            "softplus": (True, "jax.nn.softplus(x)", nn.softplus),
            "softshrink": (False, "jnp.where(x > 0.5, x - 0.5, jnp.where(x < -0.5, "
                                  "x + 0.5, 0.0))",
                           lambda x: jnp.where(x > 0.5, x - 0.5,
                                               jnp.where(x < -0.5, x + 0.5, 0.0))),
            "softsign": (True, "jax.nn.soft_sign(x)", nn.soft_sign),
            "sparse_plus": (True, "jax.nn.sparse_plus(x)", nn.sparse_plus),
            "sparse_sigmoid": (True, "jax.nn.sparse_sigmoid(x)", nn.sparse_sigmoid),
            "squared_relu": (False, "jnp.square(jax.nn.relu(x))",
                             lambda x: jnp.square(nn.relu(x))),
            "squareplus": (True, "jax.nn.squareplus(x, b=4)",
                           lambda x: nn.squareplus(x, b=4)),
            "step": (True, "jnp.heaviside(x, 1.0)", lambda x: jnp.heaviside(x, 1.0)),
            "tanh": (True, "jax.nn.tanh(x)", lambda x: nn.tanh(x)),
            "tanhshrink": (False, "x - jnp.tanh(x)", lambda x: x - jnp.tanh(x)),
            "threshold": (False, "jnp.where(x > 1.0, x, 0.0)",
                          lambda x: jnp.where(x > 1.0, x, 0.0)),
        }


class Keras(Jax):
    """Keras 3 on its JAX backend: its own code, differentiated by JAX."""

    key = "keras"

    def __init__(self):
        super().__init__()
        import keras

        self.keras = keras
        self.backend = keras.backend.backend()
        self.version = f"{keras.__version__} (backend {self.backend})"

    def namespace(self):
        return {"keras": self.keras}

    def calls(self):
        ka, ko = self.keras.activations, self.keras.ops
        return {
            "absolute": (True, "keras.ops.abs(x)", ko.abs),
            "arctan": (True, "keras.ops.arctan(x)", ko.arctan),
            "celu": (True, "keras.activations.celu(x, alpha=1.0)",
                     lambda x: ka.celu(x, alpha=1.0)),
            "cos": (True, "keras.ops.cos(x)", ko.cos),
            "elu": (True, "keras.activations.elu(x, alpha=1.0)",
                    lambda x: ka.elu(x, alpha=1.0)),
            "exponential": (True, "keras.activations.exponential(x)", ka.exponential),
            "gelu": (True, "keras.activations.gelu(x, approximate=False)",
                     lambda x: ka.gelu(x, approximate=False)),
            "gelu_tanh": (True, "keras.activations.gelu(x, approximate=True)",
                          lambda x: ka.gelu(x, approximate=True)),
            "hard_sigmoid": (True, "keras.activations.hard_sigmoid(x)",
                             ka.hard_sigmoid),
            "hard_swish": (True, "keras.activations.hard_silu(x)", ka.hard_silu),
            "hard_tanh": (True, "keras.activations.hard_tanh(x)",
                          lambda x: ka.hard_tanh(x)),
            "hardshrink": (True, "keras.activations.hard_shrink(x, threshold=0.5)",
                           lambda x: ka.hard_shrink(x, threshold=0.5)),
            "identity": (True, "keras.activations.linear(x)", ka.linear),
            "leaky_relu": (True, "keras.activations.leaky_relu(x, negative_slope=0.01)",
                           lambda x: ka.leaky_relu(x, negative_slope=0.01)),
            "log_sigmoid": (True, "keras.activations.log_sigmoid(x)",
                            lambda x: ka.log_sigmoid(x)),
            "mish": (True, "keras.activations.mish(x)", ka.mish),
            "relu": (True, "keras.activations.relu(x)", ka.relu),
            "relu6": (True, "keras.activations.relu6(x)", ka.relu6),
            "relu_n": (True, "keras.activations.relu(x, max_value=6.0)",
                       lambda x: ka.relu(x, max_value=6.0)),
            "selu": (True, "keras.activations.selu(x)", ka.selu),
            "sigmoid": (True, "keras.activations.sigmoid(x)", ka.sigmoid),
            "sign": (True, "keras.ops.sign(x)", ko.sign),
            "silu": (True, "keras.activations.silu(x)", ka.silu),
            "sin": (True, "keras.ops.sin(x)", ko.sin),
            "softplus": (True, "keras.activations.softplus(x)", ka.softplus),
            "softshrink": (True, "keras.activations.soft_shrink(x, threshold=0.5)",
                           lambda x: ka.soft_shrink(x, threshold=0.5)),
            "softsign": (True, "keras.activations.softsign(x)", ka.softsign),
            "sparse_plus": (True, "keras.activations.sparse_plus(x)",
                            lambda x: ka.sparse_plus(x)),
            "sparse_sigmoid": (True, "keras.activations.sparse_sigmoid(x)",
                               lambda x: ka.sparse_sigmoid(x)),
            "squareplus": (True, "keras.activations.squareplus(x, b=4)",
                           lambda x: ka.squareplus(x, b=4)),
            "step": (True, "keras.ops.heaviside(x, 1.0)",
                     lambda x: ko.heaviside(x, 1.0)),
            "tanh": (True, "keras.activations.tanh(x)", ka.tanh),
            "tanhshrink": (True, "keras.activations.tanh_shrink(x)",
                           lambda x: ka.tanh_shrink(x)),
            "threshold": (True, "keras.activations.threshold(x, 1.0, 0.0)",
                          lambda x: ka.threshold(x, 1.0, 0.0)),
        }


class TensorFlow:
    key = "tensorflow"

    def __init__(self):
        import tensorflow as tf

        self.tf = tf
        self.version = tf.__version__

    def value_and_grad(self, f, x, g=None):
        t = self.tf.constant(x)
        with self.tf.GradientTape() as tape:
            tape.watch(t)
            y = f(t)
        g = self.tf.ones_like(y) if g is None else self.tf.constant(g)
        d = tape.gradient(y, t, output_gradients=g)
        if d is None:  # no gradient path: TensorFlow's zero
            d = self.tf.zeros_like(t)
        return y.numpy(), d.numpy()

    def namespace(self):
        return {"tf": self.tf}

    def value(self, f, x):
        return f(self.tf.constant(x)).numpy()

    def calls(self):
        tf = self.tf
        nn, m = tf.nn, tf.math
        return {
            "absolute": (True, "tf.math.abs(x)", m.abs),
            "arctan": (True, "tf.math.atan(x)", m.atan),
            "bipolar_sigmoid": (False, "tf.math.tanh(x / 2)", lambda x: m.tanh(x / 2)),
            "clipped_gelu": (False, "tf.clip_by_value(tf.nn.gelu(x), -10, 10)",
                             lambda x: tf.clip_by_value(nn.gelu(x), -10, 10)),
            "cos": (True, "tf.math.cos(x)", m.cos),
            "elu": (True, "tf.nn.elu(x)", nn.elu),
            "exponential": (True, "tf.math.exp(x)", m.exp),
            "gelu": (True, "tf.nn.gelu(x)", nn.gelu),
            "gelu_tanh": (True, "tf.nn.gelu(x, approximate=True)",
                          lambda x: nn.gelu(x, approximate=True)),
            "gelu_sigmoid": (False, "x * tf.math.sigmoid(1.60033 * x"
                                    " * (1 + 0.0433603 * x**2))",
                             lambda x: x * m.sigmoid(
                                 1.60033 * x * (1 + 0.0433603 * x**2))),
            "hard_mish": (False, "0.5 * x * tf.clip_by_value(x + 2, 0, 2)",
                          lambda x: 0.5 * x * tf.clip_by_value(x + 2, 0, 2)),
            "identity": (True, "tf.identity(x)", tf.identity),
            "leaky_relu": (True, "tf.nn.leaky_relu(x, alpha=0.01)",
                           lambda x: nn.leaky_relu(x, alpha=0.01)),
            "lisht": (False, "x * tf.math.tanh(x)", lambda x: x * m.tanh(x)),
            "tanhexp": (False, "x * tf.math.tanh(tf.math.exp(x))",
                        lambda x: x * m.tanh(m.exp(x))),
            "serf": (False, "x * tf.math.erf(tf.math.softplus(x))",
                     lambda x: x * m.erf(m.softplus(x))),
            "smish": (False,
                      "x * tf.math.tanh(tf.math.log1p(tf.math.sigmoid(x)))",
                      lambda x: x * m.tanh(m.log1p(m.sigmoid(x)))),
            "elish": (False,
                      "tf.where(x >= 0, x, tf.math.expm1(x)) * tf.math.sigmoid(x)",
                      lambda x: tf.where(x >= 0, x, m.expm1(x)) * m.sigmoid(x)),
            "hard_elish": (False,
                           "tf.where(x >= 0, x, tf.math.expm1(x))"
                           " * tf.clip_by_value((x + 1) / 2, 0, 1)",
                           lambda x: (tf.where(x >= 0, x, m.expm1(x))
                                      * tf.clip_by_value((x + 1) / 2, 0, 1))),
            "log_sigmoid": (True, "tf.math.log_sigmoid(x)", m.log_sigmoid),
            "maxtanh": (False, "tf.maximum(x, tf.tanh(x))",
                        lambda x: tf.maximum(x, tf.tanh(x))),
            "maxsig": (False, "tf.maximum(x, tf.sigmoid(x))",
                       lambda x: tf.maximum(x, tf.sigmoid(x))),
            "minsin": (False, "tf.minimum(x, tf.sin(x))",
                       lambda x: tf.minimum(x, tf.sin(x))),
            "penalized_tanh": (False, "tf.where(x > 0, tf.tanh(x), 0.25 * tf.tanh(x))",
                               lambda x: tf.where(x > 0, tf.tanh(x),
                                                  0.25 * tf.tanh(x))),
            "quick_gelu": (False, "x * tf.math.sigmoid(1.702 * x)",
                           lambda x: x * m.sigmoid(1.702 * x)),
            "relu": (True, "tf.nn.relu(x)", nn.relu),
            "relu6": (True, "tf.nn.relu6(x)", nn.relu6),
            "relu_n": (False, "tf.clip_by_value(x, 0.0, 6.0)",
                       lambda x: tf.clip_by_value(x, 0.0, 6.0)),
            "selu": (True, "tf.nn.selu(x)", nn.selu),
            "sigmoid": (True, "tf.math.sigmoid(x)", m.sigmoid),
            "sign": (True, "tf.math.sign(x)", m.sign),
            "silu": (True, "tf.nn.silu(x)", nn.silu),
            "sin": (True, "tf.math.sin(x)", m.sin),
            "softplus": (True, "tf.math.softplus(x)", m.softplus),
            "softsign": (True, "tf.nn.softsign(x)", nn.softsign),
            "squared_relu": (False, "tf.square(tf.nn.relu(x))",
                             lambda x: tf.square(nn.relu(x))),
            "tanh": (True, "tf.math.tanh(x)", m.tanh),
            "bent_identity": (False, "(tf.sqrt(x * x + 1) - 1) / 2 + x",
                              lambda x: (tf.sqrt(x * x + 1) - 1) / 2 + x),
            "cosper": (False, "tf.cos(x) - x", lambda x: tf.cos(x) - x),
            "elliott_sigmoid": (False, "0.5 * x / (1 + tf.abs(x)) + 0.5",
                                lambda x: 0.5 * x / (1 + tf.abs(x)) + 0.5),
            "arctid": (False, "tf.atan(x) ** 2 - x", lambda x: tf.atan(x) ** 2 - x),
            "cube": (False, "tf.math.pow(x, 3)", lambda x: m.pow(x, 3)),
            "gaussian": (False, "tf.exp(-tf.square(x))",
                         lambda x: tf.exp(-tf.square(x))),
            "isru": (False, "x * tf.math.rsqrt(1 + x**2)",
                     lambda x: x * m.rsqrt(1 + x**2)),
            "lecun_tanh": (False, "1.7159 * tf.math.tanh(2 * x / 3)",
                           lambda x: 1.7159 * m.tanh(2 * x / 3)),
            "log_log": (False, "-tf.math.expm1(-tf.math.exp(x))",
                        lambda x: -m.expm1(-m.exp(x))),
            "normal_cdf": (False, "0.5 * tf.math.erfc(-x / sqrt(2))",
                           lambda x: 0.5 * m.erfc(-x / math.sqrt(2))),
            "sinc": (True, "tf.experimental.numpy.sinc(x / np.pi)",
                     lambda x: tf.experimental.numpy.sinc(x / np.pi)),
            "step": (True, "tf.experimental.numpy.heaviside(x, 1.0)",
                     lambda x: tf.experimental.numpy.heaviside(x, 1.0)),
        }


FRAMEWORKS = (Torch, Jax, Keras, TensorFlow)
IMPORT_NAMES = {"pytorch": "torch", "jax": "jax", "keras": "keras",
                "tensorflow": "tensorflow"}


def keras2_version() -> dict:
    """Keras 2 (the tf-keras package), whose defaults a chapter states."""
    try:
        import tf_keras
    except ImportError:
        return {}
    return {"tf_keras": tf_keras.__version__}


def load_frameworks() -> tuple[dict, dict]:
    """The frameworks that import here, and why each of the others did not."""
    loaded, missing = {}, {}
    for cls in FRAMEWORKS:
        try:
            loaded[cls.key] = cls()
        except Exception as e:  # an ImportError, or a broken install
            missing[cls.key] = f"{type(e).__name__}: {e}".splitlines()[0][:200]
    return loaded, missing


# --- the reference ----------------------------------------------------------------


GRID_EDGE = 1e4
"""Where the grid ends and the far tails begin."""


def points(a, dtype) -> tuple[np.ndarray, np.ndarray]:
    """(grid points, far-tail points) of ``dtype``, kinks left out."""
    info = np.finfo(dtype)
    g = verify.grid(a)
    # the verification grid for 1e-10 <= |x| <= 1e4 and the core: it also runs on
    # to the largest float, which the far tails below cover, and down to the
    # smallest subnormal, which frameworks that flush subnormals lose by design
    g = g[(np.abs(g) <= GRID_EDGE) & ((np.abs(g) >= 1e-10) | (g == 0))].astype(dtype)
    # 1e4 to 1e38 (float32) or 1e308 (float64), and the largest finite number
    far = 10.0 ** np.linspace(4, math.floor(math.log10(float(info.max))), FAR_POINTS)
    far = np.concatenate([far, -far, [float(info.max), -float(info.max)]])
    far = far.astype(dtype)
    kinks = np.array(a.kink_points(), dtype=dtype)
    out = []
    for xs in (g, far):
        xs = np.unique(xs[np.isfinite(xs)])
        out.append(xs[~np.isin(xs, kinks)])
    return out[0], out[1]


class Reference:
    """mpmath values of f, f', f'' of an activation (default parameters)."""

    def __init__(self, a):
        f = a.expr(**{k: p.default for k, p in a.params.items()})
        d1 = sp.diff(f, symbolic.x)
        d2 = sp.diff(d1, symbolic.x)
        self.funcs = [verify._mp_func(e) for e in (f, d1, d2)]
        self.cache: dict[float, tuple] = {}

    def at(self, xs) -> tuple[list, list, list]:
        for t in xs:
            t = float(t)
            if t not in self.cache:
                self.cache[t] = tuple(fn(t) for fn in self.funcs)
        rows = [self.cache[float(t)] for t in xs]
        return tuple([r[i] for r in rows] for i in range(3))


def ulp_errors(got, ref, dref, xs, dtype) -> np.ndarray:
    info = np.finfo(dtype)
    got = np.asarray(got)
    if got.shape != xs.shape:
        got = np.broadcast_to(got, xs.shape)
    return verify._scaled_ulp(got.astype(np.float64).astype(dtype), ref, dref, xs,
                              float(info.eps), float(info.smallest_subnormal))


def worst(errors: np.ndarray, xs: np.ndarray) -> list:
    if errors.size == 0:
        return [0.0, None]
    i = int(np.argmax(errors))
    return [_num(errors[i]), float(f"{float(xs[i]):.6g}")]


def _num(v: float) -> float | str:
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return "inf"
    return float(f"{v:.3g}")


def _float(v) -> float | str:
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


# --- measuring --------------------------------------------------------------------


def measure_one(fw, fn, a, ref: Reference) -> dict:
    """Errors of one framework's fn against the reference, and its kink values."""
    out: dict = {}
    dtypes_out = set()
    for dtype in DTYPES:
        dt = np.dtype(dtype)
        row = {}
        for region, xs in zip(("grid", "far"), points(a, dt), strict=True):
            try:
                y, dy = fw.value_and_grad(fn, xs) if fw else fn(xs)
            except Exception as e:  # a function with no derivative
                y, dy = fw.value(fn, xs), None
                row["df_error"] = f"{type(e).__name__}: {e}".splitlines()[0][:160]
            dtypes_out.add(str(np.asarray(y).dtype))
            rf, rd1, rd2 = ref.at(xs)
            row[f"f_{region}"] = worst(ulp_errors(y, rf, rd1, xs, dt), xs)
            row[f"df_{region}"] = (["inf", None] if dy is None else
                                   worst(ulp_errors(dy, rd1, rd2, xs, dt), xs))
        out[dtype] = row
    out["kinks"] = kinks(fw, fn, a)
    if dtypes_out != set(DTYPES):  # a function that changes the dtype
        out["dtypes_out"] = sorted(dtypes_out)
    return out


def kinks(fw, fn, a) -> list[dict]:
    """The value and derivative fn returns at every kink of a, float32 and float64."""
    out = []
    for at in a.kink_points():
        k = {"at": at}
        for dtype in DTYPES:
            x = np.array([at], dtype=dtype)
            try:
                y, dy = fw.value_and_grad(fn, x) if fw else fn(x)
                k[dtype] = {"value": _float(np.ravel(y)[0]),
                            "derivative": _float(np.ravel(dy)[0])}
            except Exception as e:
                k[dtype] = {"error": f"{type(e).__name__}: {e}".splitlines()[0][:160]}
        out.append(k)
    return out


VARIANTS = {
    # hand-written forms a chapter compares with the built-in function
    "hard_swish": {"pytorch": ("x * torch.clamp(x + 3, 0, 6) / 6",
                               "x * torch.nn.functional.relu6(x + 3) / 6"),
                   "tensorflow": ("x * tf.nn.relu6(x + 3) / 6",)},
    # the gate as F.hardtanh (zero gradient at its ends) and as the paper's
    # max(0, min(1, .)) (torch.maximum and torch.minimum split a tie)
    "hard_elish": {"pytorch": (
        "torch.where(x >= 0, x, torch.expm1(x))"
        " * (torch.nn.functional.hardtanh(x) + 1) / 2",
        "torch.where(x >= 0, x, torch.expm1(x)) * torch.maximum(torch.zeros_like(x), "
        "torch.minimum(torch.ones_like(x), (x + 1) / 2))")},
    # Keras' general relu away from the defaults: a negative slope, and (shifted so
    # that the kinks 0 and 6 land on them) a threshold of 0.5 and a cap of 6.5
    "relu_n": {"keras": (
        "keras.activations.relu(x, negative_slope=0.1, max_value=6.0)",
        "keras.activations.relu(x + 0.5, negative_slope=0.1, max_value=6.5, "
        "threshold=0.5)")},
}
"""Their kinks are recorded beside the framework's own record (``variants``)."""


def book_fn(a):
    return lambda xs: a.value_and_derivative(xs)


CONTEXT_NAMES = {
    # framework names whose defaults a chapter states, beyond the activation's own
    "tanh": ("torch.nn.RNN", "keras.layers.SimpleRNN", "keras.layers.LSTM",
             "keras.layers.GRU"),
    "threshold": ("tf_keras.layers.ThresholdedReLU",),  # Keras 2
    "bilinear": ("torch.nn.Bilinear",),  # a layer with its own weights, not a * b
    "quiet_softmax": ("torch.nn.MultiheadAttention",),  # add_zero_attn
}
"""Recorded in the data file, so that ``tables.framework_facts`` reads them too."""

INSTANCE_DEFAULTS = {
    # classes whose signature hides a default (``*args, **kwargs``): constructor
    # arguments, and the attributes of the instance that hold the defaults
    "torch.nn.RNN": ((1, 1), ("nonlinearity",)),
}


def check_names(loaded: dict) -> list[dict]:
    """Each dotted name of the registry's framework strings (and of CONTEXT_NAMES):
    does it exist, what are its keyword defaults, which parameters does it
    require?"""
    owners = {"torch": "pytorch", "jnp": "jax", "jax": "jax", "keras": "keras",
              "tf": "tensorflow", "tf_keras": "tensorflow"}
    found = []
    for a in act.all_activations():
        named = [(key, name) for key, call in a.frameworks.items()
                 for name in tables.dotted_names(call)]
        named += [(owners[n.partition(".")[0]], n)
                  for n in CONTEXT_NAMES.get(a.name, ())]
        for key, name in named:
            if owners[name.partition(".")[0]] not in loaded:
                continue
            obj = resolve(name)
            defaults, required = (signature_of(name, obj) if obj is not None
                                  else (None, None))
            found.append({"activation": a.name, "framework": key, "name": name,
                          "exists": obj is not None, "defaults": defaults,
                          "required": required})
    return found


def names_summary(found: list[dict]) -> dict:
    return {"checked": len(found),
            "missing": [{k: n[k] for k in ("activation", "framework", "name")}
                        for n in found if not n["exists"]]}


def required_summary(found: list[dict]) -> dict:
    """name -> the parameters it requires (no default), where its signature was read."""
    return {n["name"]: n["required"] for n in sorted(found, key=lambda n: n["name"])
            if n["required"] is not None}


def defaults_summary(found: list[dict]) -> dict:
    """name -> {parameter: default} for every name whose signature could be read."""
    return {n["name"]: n["defaults"] for n in sorted(found, key=lambda n: n["name"])
            if n["defaults"]}


# --- defaults and probes --------------------------------------------------------
# The chapters state some framework behaviour beyond kinks and worst errors: the
# default of a parameter, the slope returned at a few chosen points, where a
# derivative in the tail becomes exactly 0. These are measured here too, so the
# prose can glue them (tables.framework_facts).

PROBES = {
    # slopes at these points (float32 and float64), with their relative errors
    "gelu_tanh": {"points": (-3.6, -4.0, -5.0, -7.0), "zero_scan": (-3.0, -12.0)},
    "hard_sigmoid": {"points": (0.5,)},
    "leaky_relu": {"points": (-1.0,)},
    # the patterns of the page "How accurate are the frameworks?"
    "tanh": {"points": (-10.0,)},
    "normal_cdf": {"points": (-5.6,)},
    "gelu": {"points": (-5.6,)},
    "elu": {"points": (-1e-8,)},
    "selu": {"points": (-1e-8,)},
    "exponential": {"points": (-100.0,)},
    "sigmoid": {"points": (-100.0,)},
    "shifted_softplus": {"points": (1e-8,)},
    "sqrt_softplus": {"points": (-95.0, -110.0, -800.0)},
    "laplace": {"points": (-1.0, -2.0)},
    "xielu": {"points": (-1e-7, -1e-3)},
    "tanhexp": {"points": (-95.0, 100.0, 800.0)},
    "serf": {"points": (-95.0, -720.0)},
    "smish": {"points": (-95.0, -720.0)},
    "elliott_sigmoid": {"points": (-1e3, -1e8)},
    "elish": {"points": (-95.0, 100.0, 800.0)},
    "hard_elish": {"points": (100.0, 800.0)},
}
"""Per activation: ``points`` where value and slope are recorded (with the true
ones, rounded to float64); ``zero_scan``
(from, to): the nearest point to ``from`` beyond which the slope returned is
exactly 0 all the way to ``to`` (step 0.005), while the true slope is not."""


def probe(fw, fn, a, ref: Reference, spec: dict) -> dict:
    out: dict = {}
    for dtype in DTYPES:
        dt = np.dtype(dtype)
        xs = np.array(spec.get("points", ()), dtype=dt)
        rec: dict = {}
        if xs.size:
            y, dy = fw.value_and_grad(fn, xs) if fw else fn(xs)
            rf, rd1, _ = ref.at(xs)
            rec["points"] = [
                {"x": float(x), "f": _float(v), "f_true": _float(t), "df": _float(g),
                 "df_true": _float(r),
                 "df_rel": _num(abs((mpmath.mpf(float(g)) - r) / r)) if r else None}
                for x, v, t, g, r in zip(xs, np.ravel(y), rf, np.ravel(dy), rd1,
                                         strict=True)]
        if "zero_scan" in spec:
            lo, hi = spec["zero_scan"]
            grid = np.arange(lo, hi, -0.005 if hi < lo else 0.005).astype(dt)
            _, dy = fw.value_and_grad(fn, grid) if fw else fn(grid)
            nonzero = np.flatnonzero(np.ravel(dy) != 0)
            last = nonzero[-1] + 1 if nonzero.size else 0
            rec["df_zero_from"] = (float(f"{float(grid[last]):.4g}")
                                   if last < grid.size else None)
            if last < grid.size:  # the true slope where the returned one is 0
                rec["df_zero_from_true"] = _float(ref.at(grid[last:last + 1])[1][0])
        out[dtype] = rec
    return out


def resolve(name: str):
    """The object a dotted name of the registry's strings names, or None."""
    aliases = {"jnp": "jax.numpy", "tf": "tensorflow"}
    root, _, rest = name.partition(".")
    obj = importlib.import_module(aliases.get(root, root))
    for part in rest.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(f"{obj.__name__}.{part}")
            except Exception:
                return None
    return obj


def signature_of(name: str, obj) -> tuple[dict | None, list | None]:
    """(keyword defaults that are plain numbers, booleans, strings or None; the
    parameters without a default) of a callable (a class: of its constructor);
    None for what cannot be read.

    A function written in C (PyTorch's ``gelu``, ``softplus`` ...) has no
    inspectable signature; its docstring's first line states it instead
    (``gelu(input, approximate = 'none') -> Tensor``), and that is read. A class
    of INSTANCE_DEFAULTS is instantiated and its attributes read."""
    plain = (bool, int, float, str)
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    try:
        params = list(inspect.signature(obj).parameters.values())
        found = {p.name: p.default for p in params
                 if p.default is not inspect.Parameter.empty}
        required = [p.name for p in params if p.default is inspect.Parameter.empty
                    and p.kind not in variadic]
        if any(p.kind in variadic for p in params) and not (found or required):
            required = None  # (*args, **kwargs): nothing can be read
    except (TypeError, ValueError):
        line = (getattr(obj, "__doc__", None) or "").strip().split("\n")[0]
        m = re.fullmatch(r"\w+\((.*)\)\s*->.*", line)
        if not m:
            return None, None
        found, required = {}, []
        for arg in m.group(1).split(","):
            pname, eq, value = (t.strip() for t in arg.partition("="))
            if not eq:
                if pname.split(":")[0].strip() not in ("*", "/"):
                    required.append(pname.split(":")[0].strip())
                continue
            try:
                found[pname] = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                pass
    if name in INSTANCE_DEFAULTS:
        args, attrs = INSTANCE_DEFAULTS[name]
        instance = obj(*args)
        found.update({k: getattr(instance, k) for k in attrs})
    found = {k: v for k, v in found.items() if v is None or isinstance(v, plain)}
    return found or None, required


VECTOR_PROBES = {
    # vector activations whose framework version the chapters question: inputs
    "sparsemax": ([1.0, 0.5], [0.5, 0.4, 0.1]),
    "softmax": ([-math.inf, -math.inf], [math.inf, 0.0, -math.inf], [math.nan, 0.0]),
    "crelu": ([-1.0, -0.0, 0.0, 2.0],),
    "quiet_softmax": ([-math.inf, -math.inf], [math.inf, 0.0], [0.0, 0.0]),
    "entmax15": ([1.0, 0.0, -1.0],),
    "maxmin": ([1.0, 3.0, 2.0, 2.0],),
    "groupsort": ([1.0, 3.0, 2.0, 2.0],),
    "lwta": ([1.0, 3.0, 2.0, 2.0], [1.0, -math.inf]),
    "dglu": ([math.inf, -1.0], [0.0, 2.0]),
    "solu": ([-math.inf, 0.0], [math.inf, 0.0]),
}

VECTOR_CALLS = {
    # Per framework: activation -> (built in?, an expression in x, evaluated with
    # the framework's namespace). The halves of the GLU family are (a, b), b gating.
    "pytorch": {
        "softmax": (True, "torch.nn.functional.softmax(x, dim=-1)"),
        "log_softmax": (True, "torch.nn.functional.log_softmax(x, dim=-1)"),
        "softmin": (True, "torch.nn.functional.softmin(x, dim=-1)"),
        "glu": (True, "torch.nn.functional.glu(x, dim=-1)"),
        "geglu": (False, "x.chunk(2, -1)[0] * torch.nn.functional.gelu("
                         "x.chunk(2, -1)[1])"),
        "geglu_tanh": (False, "x.chunk(2, -1)[0] * torch.nn.functional.gelu("
                              "x.chunk(2, -1)[1], approximate='tanh')"),
        "swiglu": (False, "x.chunk(2, -1)[0] * torch.nn.functional.silu("
                          "x.chunk(2, -1)[1])"),
        "reglu": (False, "x.chunk(2, -1)[0] * torch.relu(x.chunk(2, -1)[1])"),
        "gtu": (False, "torch.tanh(x.chunk(2, -1)[0]) * torch.sigmoid("
                       "x.chunk(2, -1)[1])"),
        # gpt-oss's swiglu (gpt_oss/torch/model.py) at alpha=1.702, limit=7.0
        "swiglu_oai": (False, "x[..., ::2].clamp(max=7.0) * torch.sigmoid(1.702 * "
                              "x[..., ::2].clamp(max=7.0)) * (x[..., 1::2].clamp("
                              "-7.0, 7.0) + 1)"),
        "crelu": (False, "torch.relu(torch.cat([x, -x], dim=-1))"),
        # the evaluation form; the sampler itself is measured by gumbel_torch
        "gumbel_softmax": (False, "torch.softmax(x / 1.0, dim=-1)"),
        "bilinear": (False, "x.chunk(2, -1)[0] * x.chunk(2, -1)[1]"),
        "quiet_softmax": (False, "torch.softmax(torch.nn.functional.pad(x, (0, 1)), "
                                 "dim=-1)[..., :-1]"),
        # the pairwise form of OPLU / MaxMin, and GroupSort by a stable sort
        "maxmin": (False, "torch.stack([torch.maximum(x[..., 0::2], x[..., 1::2]), "
                          "torch.minimum(x[..., 0::2], x[..., 1::2])], -1)"
                          ".flatten(-2)"),
        "groupsort": (False, "torch.sort(x.unflatten(-1, (-1, 2)), dim=-1, "
                             "descending=True, stable=True)[0].flatten(-2)"),
        "lwta": (False, "x * torch.nn.functional.one_hot(x.unflatten(-1, (-1, 2))"
                        ".argmax(-1), 2).to(x.dtype).flatten(-2)"),
        "dglu": (False, "torch.relu(x.chunk(2, -1)[0]) * torch.relu("
                        "x.chunk(2, -1)[1])"),
        "solu": (False, "x * torch.softmax(x, dim=-1)"),
        "abrelu": (False, "torch.relu(x - x.mean(-1, keepdim=True))"),
        # the reference PolyNorm of the PolyCom repository at its initial weights
        "polynorm": (False, "(x**3 * torch.rsqrt((x**3).pow(2).mean(-1, keepdim=True) "
                            "+ 1e-6) + x**2 * torch.rsqrt((x**2).pow(2).mean(-1, "
                            "keepdim=True) + 1e-6) + x * torch.rsqrt(x.pow(2).mean("
                            "-1, keepdim=True) + 1e-6)) / 3"),
    },
    "jax": {
        "softmax": (True, "jax.nn.softmax(x, axis=-1)"),
        "log_softmax": (True, "jax.nn.log_softmax(x, axis=-1)"),
        "softmin": (False, "jax.nn.softmax(-x, axis=-1)"),
        "glu": (True, "jax.nn.glu(x, axis=-1)"),
        "geglu": (False, "jnp.split(x, 2, -1)[0] * jax.nn.gelu("
                         "jnp.split(x, 2, -1)[1], approximate=False)"),
        "geglu_tanh": (False, "jnp.split(x, 2, -1)[0] * jax.nn.gelu("
                              "jnp.split(x, 2, -1)[1], approximate=True)"),
        "swiglu": (False, "jnp.split(x, 2, -1)[0] * jax.nn.silu("
                          "jnp.split(x, 2, -1)[1])"),
        "reglu": (False, "jnp.split(x, 2, -1)[0] * jax.nn.relu("
                         "jnp.split(x, 2, -1)[1])"),
        "gtu": (False, "jnp.tanh(jnp.split(x, 2, -1)[0]) * jax.nn.sigmoid("
                       "jnp.split(x, 2, -1)[1])"),
        "swiglu_oai": (False, "jnp.minimum(x[..., ::2], 7.0) * jax.nn.sigmoid(1.702 * "
                              "jnp.minimum(x[..., ::2], 7.0)) * (jnp.clip("
                              "x[..., 1::2], -7.0, 7.0) + 1)"),
        "crelu": (False, "jax.nn.relu(jnp.concatenate([x, -x], axis=-1))"),
        "bilinear": (False, "jnp.split(x, 2, -1)[0] * jnp.split(x, 2, -1)[1]"),
        "quiet_softmax": (False, "jax.nn.softmax(jnp.pad(x, [(0, 0)] * (x.ndim - 1) "
                                 "+ [(0, 1)]), axis=-1)[..., :-1]"),
        "dglu": (False, "jax.nn.relu(jnp.split(x, 2, -1)[0]) * jax.nn.relu("
                        "jnp.split(x, 2, -1)[1])"),
        "solu": (False, "x * jax.nn.softmax(x, axis=-1)"),
    },
    "keras": {
        "softmax": (True, "keras.activations.softmax(x, axis=-1)"),
        "log_softmax": (True, "keras.activations.log_softmax(x, axis=-1)"),
        "softmin": (False, "keras.activations.softmax(-x, axis=-1)"),
        "glu": (True, "keras.activations.glu(x, axis=-1)"),
        "sparsemax": (True, "keras.activations.sparsemax(x, axis=-1)"),
        "geglu": (False, "keras.ops.split(x, 2, -1)[0] * keras.activations.gelu("
                         "keras.ops.split(x, 2, -1)[1], approximate=False)"),
        "geglu_tanh": (False, "keras.ops.split(x, 2, -1)[0] * keras.activations.gelu("
                              "keras.ops.split(x, 2, -1)[1], approximate=True)"),
        "swiglu": (False, "keras.ops.split(x, 2, -1)[0] * keras.activations.silu("
                          "keras.ops.split(x, 2, -1)[1])"),
        "reglu": (False, "keras.ops.split(x, 2, -1)[0] * keras.activations.relu("
                         "keras.ops.split(x, 2, -1)[1])"),
        "gtu": (False, "keras.activations.tanh(keras.ops.split(x, 2, -1)[0]) * "
                       "keras.activations.sigmoid(keras.ops.split(x, 2, -1)[1])"),
        "crelu": (False, "keras.activations.relu(keras.ops.concatenate([x, -x], "
                         "axis=-1))"),
        "bilinear": (False, "keras.ops.split(x, 2, -1)[0] * "
                            "keras.ops.split(x, 2, -1)[1]"),
        "dglu": (False, "keras.activations.relu(keras.ops.split(x, 2, -1)[0]) * "
                        "keras.activations.relu(keras.ops.split(x, 2, -1)[1])"),
        "solu": (False, "x * keras.activations.softmax(x, axis=-1)"),
    },
    "tensorflow": {
        "softmax": (True, "tf.nn.softmax(x, axis=-1)"),
        "log_softmax": (True, "tf.nn.log_softmax(x, axis=-1)"),
        "softmin": (False, "tf.nn.softmax(-x, axis=-1)"),
        "geglu": (False, "tf.split(x, 2, -1)[0] * tf.nn.gelu(tf.split(x, 2, -1)[1])"),
        "geglu_tanh": (False, "tf.split(x, 2, -1)[0] * tf.nn.gelu("
                              "tf.split(x, 2, -1)[1], approximate=True)"),
        "swiglu": (False, "tf.split(x, 2, -1)[0] * tf.nn.silu(tf.split(x, 2, -1)[1])"),
        "reglu": (False, "tf.split(x, 2, -1)[0] * tf.nn.relu(tf.split(x, 2, -1)[1])"),
        "gtu": (False, "tf.tanh(tf.split(x, 2, -1)[0]) * tf.sigmoid("
                       "tf.split(x, 2, -1)[1])"),
        "crelu": (True, "tf.nn.crelu(x, axis=-1)"),
        "bilinear": (False, "tf.split(x, 2, -1)[0] * tf.split(x, 2, -1)[1]"),
        "quiet_softmax": (False, "tf.nn.softmax(tf.pad(x, [[0, 0]] * (len(x.shape) "
                                 "- 1) + [[0, 1]]), axis=-1)[..., :-1]"),
        "dglu": (False, "tf.nn.relu(tf.split(x, 2, -1)[0]) * tf.nn.relu("
                        "tf.split(x, 2, -1)[1])"),
        "solu": (False, "x * tf.nn.softmax(x, axis=-1)"),
    },
}
"""Checked by tests/test_frameworks.py against the registry's framework strings:
every built-in named here is named there."""


def implicit_dim(torch_fw) -> dict:
    """What ``torch.nn.functional.softmax(x)`` does without ``dim``: the warning it
    gives, and the dimension it normalises for inputs of 1 to 4 dimensions."""
    import warnings

    torch, F = torch_fw.torch, torch_fw.F  # noqa: N806
    out: dict = {"no_dim": {}}
    for ndim in range(1, 5):
        x = torch.rand(*(2,) * ndim, dtype=torch.float64)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = F.softmax(x)
        ones = [d for d in range(ndim)
                if torch.allclose(y.sum(dim=d), torch.ones(()).double())]
        out["no_dim"][str(ndim)] = ones[0] if len(ones) == 1 else None
        if caught:
            out["no_dim_warning"] = (f"{caught[0].category.__name__}: "
                                     f"{str(caught[0].message)[:120]}")
    return out


def gumbel_torch(torch_fw) -> dict:
    """What ``torch.nn.functional.gumbel_softmax`` does, against this book's
    ``gumbel_softmax`` given the same noise: the noise PyTorch draws is recovered
    by drawing it as its source does (``-empty_like(x).exponential_().log()``)
    from the same seed. Recorded under ``extra``: the largest difference of the
    soft and hard samples, the entries of hard samples that are not exactly 0 or
    1, the largest difference between the gradients of the hard and the soft
    sample (the straight-through estimator), the index ``hard`` picks on a tie,
    and the mean of a million noise values (Euler's constant, 0.5772...)."""
    torch, F = torch_fw.torch, torch_fw.F  # noqa: N806
    a = act.get("gumbel_softmax")
    gen = torch.Generator().manual_seed(0)
    out: dict = {}
    for dtype in (torch.float32, torch.float64):
        key = str(dtype).split(".")[-1]
        x = torch.randn(20_000, 5, generator=gen, dtype=torch.float64).to(dtype) * 3
        torch.manual_seed(1)
        noise = -torch.empty_like(x).exponential_().log()
        soft, hard = {}, {}
        for flag, store in ((False, soft), (True, hard)):
            torch.manual_seed(1)
            xg = x.clone().requires_grad_(True)
            y = F.gumbel_softmax(xg, tau=0.5, hard=flag)
            (grad,) = torch.autograd.grad(y, xg, torch.ones_like(y).cumsum(-1))
            book, _ = a(x.numpy(), training=True, noise=noise.numpy(), tau=0.5,
                        hard=flag)
            store.update(y=y.detach(), grad=grad, diff=float(
                np.max(np.abs(y.detach().double().numpy() - book.astype(np.float64)))))
        not_01 = int(((hard["y"] != 0) & (hard["y"] != 1)).sum())
        out[f"soft_diff_{key}"] = _float(soft["diff"])
        out[f"hard_diff_{key}"] = _float(hard["diff"])
        out[f"hard_not_01_{key}"] = not_01
        out[f"hard_count_{key}"] = int(hard["y"].numel())
        out[f"st_grad_diff_{key}"] = _float(float((hard["grad"] - soft["grad"])
                                                  .abs().max()))
    ties = torch.zeros(1, 4, dtype=torch.float64).softmax(-1)
    out["tie_index"] = int(ties.max(-1, keepdim=True)[1].item())
    torch.manual_seed(2)
    draws = -torch.empty(10**6, dtype=torch.float64).exponential_().log()
    out["noise_mean"] = _float(float(draws.mean()))
    return {"extra": out}


def zero_attn_torch(torch_fw) -> dict:
    """``torch.nn.MultiheadAttention(add_zero_attn=True)`` appends a key and a
    value of zeros: the attention weights of the real keys are then the quiet
    softmax of their scores. Recorded under ``extra``: the largest difference
    between PyTorch's weights and this book's quiet softmax of the scores
    computed from the layer's own projections (float64, one head), and the
    weight PyTorch gives the appended key, against one minus the sum of ours."""
    torch = torch_fw.torch
    a = act.get("quiet_softmax")
    torch.manual_seed(0)
    d, n_keys = 4, 5
    mha = torch.nn.MultiheadAttention(d, 1, bias=False, add_zero_attn=True,
                                      batch_first=True).double()
    q = 2 * torch.randn(1, 3, d, dtype=torch.float64)
    k = 2 * torch.randn(1, n_keys, d, dtype=torch.float64)
    with torch.no_grad():
        _, w = mha(q, k, k, need_weights=True)
        wq, wk, _ = mha.in_proj_weight.chunk(3)
        scores = (q @ wq.T) @ (k @ wk.T).transpose(-1, -2) / math.sqrt(d)
    ours = a(scores.numpy())
    w = w.numpy()
    return {"extra": {
        "add_zero_attn_diff": _float(float(np.max(np.abs(w[..., :n_keys] - ours)))),
        "add_zero_attn_extra_diff": _float(float(np.max(np.abs(
            w[..., n_keys] - (1 - ours.sum(-1)))))),
        "add_zero_attn_keys": int(w.shape[-1]),
    }}


def ties_torch(torch_fw) -> dict:
    """Where the gradient of a tied pair goes in PyTorch: the VJP at x = (1, 1)
    with the cotangent (1, 0) (on the larger output only) of ``torch.maximum``
    and ``torch.minimum``, of a stable descending ``torch.sort``, and of
    ``torch.max(x, -1)``'s index (which LWTA's hand-written form uses), and the
    index ``argmax`` picks on a tie."""
    torch = torch_fw.torch
    x = torch.ones(1, 2, dtype=torch.float64, requires_grad=True)
    g = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    pair = torch.stack([torch.maximum(x[..., 0::2], x[..., 1::2]),
                        torch.minimum(x[..., 0::2], x[..., 1::2])], -1).flatten(-2)
    (by_max,) = torch.autograd.grad(pair, x, g)
    srt = torch.sort(x, dim=-1, descending=True, stable=True)[0]
    (by_sort,) = torch.autograd.grad(srt, x, g)
    top = torch.max(x, dim=-1)[0]
    (by_top,) = torch.autograd.grad(top.sum(), x)
    return {"extra": {
        "tie_vjp_maximum": [_float(float(v)) for v in by_max.ravel()],
        "tie_vjp_sort": [_float(float(v)) for v in by_sort.ravel()],
        "tie_vjp_max": [_float(float(v)) for v in by_top.ravel()],
        "tie_argmax": int(torch.argmax(x.detach(), dim=-1).item()),
    }}


VECTOR_EXTRA = {("softmax", "pytorch"): implicit_dim,
                ("maxmin", "pytorch"): ties_torch,
                ("lwta", "pytorch"): ties_torch,
                ("quiet_softmax", "pytorch"): zero_attn_torch,
                ("gumbel_softmax", "pytorch"): gumbel_torch}
"""(activation, framework) -> a measurement of behaviour beyond values."""


def vector_calls(loaded: dict) -> dict:
    """name -> framework -> (built in?, call text, fn of one array)."""
    out: dict = {}
    for key, fw in loaded.items():
        for name, (builtin, text) in VECTOR_CALLS.get(key, {}).items():
            fn = eval(f"lambda x: {text}", fw.namespace())  # noqa: S307
            out.setdefault(name, {})[key] = (builtin, text, fn)
    return out


def vector_errors(run, a, dtype) -> dict:
    """Worst condition-scaled ULP errors of the value and of the VJP that
    ``run(x, g) -> (y, g·J)`` returns, at every length and test vector the
    verifier checks this book's with, default parameters, measured by the
    verifier's own ``worst_errors``: [error, largest |x_i| of the point]."""
    p = {k: q.default for k, q in a.params.items()}
    worst = {"f": [0.0, None], "vjp": [0.0, None]}
    for n in vector_verify.default_sizes(a, **p):
        errors = vector_verify.worst_errors(a, run, dtype=dtype, n=n, params=p)
        for key, (err, at) in errors.items():
            if not err <= worst[key][0]:
                worst[key] = [err, float(f"{at:.3g}")]
    return {k: [_num(e), at] for k, (e, at) in worst.items()}


def measure_vector(loaded: dict, names: list[str]) -> dict:
    """Per vector activation: the worst errors of value and VJP of each framework
    that has it and of this book, float32 and float64; and what each returns on
    the inputs of VECTOR_PROBES."""
    calls = vector_calls(loaded)
    out: dict = {}
    for name in names:
        a = act.get(name)
        if a.elementwise:
            continue
        runs = {"book": (True, f"activations.get({name!r})",
                         lambda x, g, a=a: (a(x), a.vjp(x, g)))}
        for key, (builtin, text, fn) in calls.get(name, {}).items():
            runs[key] = (builtin, text, lambda x, g, fw=loaded[key], fn=fn:
                         fw.value_and_grad(fn, x, g))
        rec: dict = {}
        with mpmath.workdps(verify._PRECISIONS[-1]):
            for key, (builtin, text, run) in runs.items():
                r = rec[key] = {"call": text, "builtin": builtin}
                try:
                    for dtype in DTYPES:
                        r[dtype] = vector_errors(run, a, dtype)
                except Exception as e:
                    traceback.print_exc()
                    r["status"] = f"error: {type(e).__name__}: {e}"[:200]
                if (name, key) in VECTOR_EXTRA:
                    r.update(VECTOR_EXTRA[name, key](loaded[key]))
                for x in VECTOR_PROBES.get(name, ()):
                    try:
                        y, vjp = run(np.array(x), np.ones(a.out_len(len(x))))
                        got = [_float(v) for v in np.ravel(y)]
                        slope = [_float(v) for v in np.ravel(vjp)]
                    except Exception as e:
                        got = slope = f"error: {type(e).__name__}"
                    r.setdefault("values", []).append(
                        {"x": [_float(t) for t in x], "f": got, "vjp": slope})
        out[name] = rec
        print(f"{name:16s}", "  ".join(
            f"{k}:{v['float32']['f'][0]}/{v['float32']['vjp'][0]}"
            for k, v in rec.items() if "float32" in v), flush=True)
    return out


def measure(names: list[str], loaded: dict) -> dict:
    results = {}
    calls = {key: fw.calls() for key, fw in loaded.items()}
    for name in names:
        a = act.get(name)
        if not a.elementwise:
            continue
        ref = Reference(a)
        with mpmath.workdps(verify._PRECISIONS[-1]):
            entry = {"book": {"call": f"activations.get({a.name!r})", "builtin": True,
                              **measure_one(None, book_fn(a), a, ref)}}
            if name in PROBES:
                entry["book"]["probes"] = probe(None, book_fn(a), a, ref, PROBES[name])
            for key, fw in loaded.items():
                if name not in calls[key]:
                    entry[key] = {"status": "not in framework"}
                    continue
                builtin, text, fn = calls[key][name]
                try:
                    entry[key] = {"call": text, "builtin": builtin,
                                  **measure_one(fw, fn, a, ref)}
                    if name in PROBES:
                        entry[key]["probes"] = probe(fw, fn, a, ref, PROBES[name])
                except Exception as e:
                    traceback.print_exc()
                    entry[key] = {"call": text, "builtin": builtin,
                                  "status": f"error: {type(e).__name__}: {e}"[:200]}
            for key, texts in VARIANTS.get(name, {}).items():
                if key in loaded:
                    fw = loaded[key]
                    entry.setdefault(key, {})["variants"] = [
                        {"call": t, "kinks": kinks(fw, eval(f"lambda x: {t}",  # noqa: S307
                                                            fw.namespace()), a)}
                        for t in texts]
        results[name] = entry
        print(f"{name:16s}", "  ".join(
            f"{k}:{v['float32']['f_grid'][0]}/{v['float32']['df_grid'][0]}"
            for k, v in entry.items() if "float32" in v), flush=True)
    return results


def write(data: dict) -> None:
    """The data file, one line per activation and framework (small diffs)."""
    head = {k: v for k, v in data.items() if k != "activations"}
    lines = json.dumps(head, indent=1, ensure_ascii=False, sort_keys=True)
    parts = []
    for name, entry in sorted(data["activations"].items()):
        recs = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True)}"
                          for k, v in sorted(entry.items()))
        parts.append(f" {json.dumps(name)}: {{\n{recs}\n }}")
    body = ",\n".join(parts)
    DATA.parent.mkdir(parents=True, exist_ok=True)
    DATA.write_text(f"{lines[:-2]},\n \"activations\": {{\n{body}\n }}\n}}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="+", metavar="NAME")
    ap.add_argument("--check", action="store_true",
                    help="compare the data file with the registry, measure nothing")
    ap.add_argument("--book-only", action="store_true",
                    help="re-measure this book's functions only, after a kernel "
                         "changed; keeps the frameworks' records, needs none of them")
    args = ap.parse_args(argv)
    if args.book_only:
        data = json.loads(DATA.read_text())
        names = [act.get(n).name for n in args.only] if args.only else act.names()
        for name in names:
            a = act.get(name)
            if not a.elementwise:
                continue
            with mpmath.workdps(verify._PRECISIONS[-1]):
                ref = Reference(a)
                book = data["activations"].setdefault(name, {})["book"] = {
                    "call": f"activations.get({a.name!r})", "builtin": True,
                    **measure_one(None, book_fn(a), a, ref)}
                if name in PROBES:
                    book["probes"] = probe(None, book_fn(a), a, ref, PROBES[name])
            print(f"{name:16s} book re-measured", flush=True)
        data["book_measured"] = datetime.date.today().isoformat()
        write(data)
        print(f"wrote {DATA.relative_to(ROOT)}")
    elif not args.check:
        loaded, missing = load_frameworks()
        old = json.loads(DATA.read_text()) if DATA.exists() and args.only else {}
        names = [act.get(n).name for n in args.only] if args.only else act.names()
        results = old.get("activations", {})
        results.update(measure(names, loaded))
        data = {
            "date": datetime.date.today().isoformat(),
            "machine": f"{platform.machine()}, {platform.system()} "
                       f"{platform.release()}, Python {platform.python_version()}",
            "versions": {
                **{k: fw.version for k, fw in loaded.items()},
                **keras2_version(),
                "numpy": np.__version__, "mpmath": mpmath.__version__,
            },
            "not_run": missing,
            "far_points": FAR_POINTS,
            "names": names_summary(found := check_names(loaded)),
            "defaults": defaults_summary(found),
            "required": required_summary(found),
            "context_names": {k: list(v) for k, v in CONTEXT_NAMES.items()},
            "vector": {**old.get("vector", {}), **measure_vector(loaded, names)},
            "activations": results,
        }
        if "book_measured" in old:  # the book's own rows keep the date they were made
            data["book_measured"] = old["book_measured"]
        write(data)
        print(f"wrote {DATA.relative_to(ROOT)}")
    data = json.loads(DATA.read_text())
    bad = tables.kink_disagreements(data)
    for d in bad:
        print(f"DISAGREES: {d['activation']} at x={d['at']:g}, {d['framework']}: "
              f"registry says {d['claimed']!r}, measured {d['measured']}")
    gone = data["names"]["missing"]
    for n in gone:
        print(f"NO SUCH NAME: {n['activation']}, {n['framework']}: {n['name']}")
    return 1 if bad or gone else 0


if __name__ == "__main__":
    sys.exit(main())

"""Adaptive activations: functions whose shape is itself learned.

A rational function with learnable coefficients (Padé activation units, rational
activations), a learned piecewise-linear sum of hinges (APL), a kernel expansion
with learned mixing weights (KAFs). Each is still a function of one number with
scalar parameters, so each fits the registry: its coefficients are parameters with
defaults (the initialisation its paper gives) and partial derivatives.
"""

from __future__ import annotations

__all__: list[str] = []

"""The computations of the output-layers page, against mpmath, finite differences,
hand values, and PyTorch where it is installed."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

import activations as act
from activations.foundations import output_layers as out


def _bce_exact(z, y):
    """Binary cross-entropy of sigma(z) at 400 digits (enough for 1 - p at z = 800)."""
    with mpmath.workdps(400):
        p = 1 / (1 + mpmath.exp(-mpmath.mpf(z)))
        return float(-(y * mpmath.log(p) + (1 - y) * mpmath.log(1 - p)))


@pytest.mark.parametrize("z", [-800.0, -40.0, -3.0, 0.0, 0.7, 20.0, 40.0, 700.0])
@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_bce_from_logit_is_exact(z, y):
    assert out.bce_from_logit(z, y) == pytest.approx(_bce_exact(z, y), rel=1e-15,
                                                       abs=1e-300)


def test_bce_from_probability_fails_where_p_rounds():
    sigmoid = act.get("sigmoid")
    assert out.bce_from_probability(sigmoid(40.0), 0.0) == math.inf
    assert out.bce_from_probability(sigmoid(-800.0), 1.0) == math.inf
    rel = abs(out.bce_from_probability(sigmoid(20.0), 0.0) - _bce_exact(20, 0)) / 20
    assert 1e-10 < rel < 1e-7  # finite but with half its digits lost
    assert out.bce_from_probability(0.5, 1.0) == pytest.approx(math.log(2), rel=1e-15)


def test_gradient_through_p_is_nan_where_p_rounds_and_p_minus_y_elsewhere():
    assert math.isnan(out.bce_gradient_from_probability(40.0, 0.0))
    # sigma(0.4) - 1 by hand: 1/(1 + e^-0.4) - 1
    expected = 1 / (1 + math.exp(-0.4)) - 1
    assert out.bce_gradient_from_probability(0.4, 1.0) == pytest.approx(expected,
                                                                        rel=1e-12)


def test_ce_from_logits_against_mpmath_and_finite_differences():
    z = np.array([1000.0, 0.0, -1000.0])
    assert out.ce_from_logits(z, 2) == 2000.0
    assert out.ce_from_probabilities(act.get("softmax")(z), 2) == math.inf
    zs = np.array([0.3, -1.2, 2.0, 0.1])
    with mpmath.workdps(50):
        exact = float(mpmath.log(sum(mpmath.exp(mpmath.mpf(v)) for v in zs))
                      - mpmath.mpf(zs[1]))
    assert out.ce_from_logits(zs, 1) == pytest.approx(exact, rel=1e-14)
    # the gradient p - e_k of the page, by central differences
    eps, p = 1e-6, np.exp(zs) / np.exp(zs).sum()
    ce = out.ce_from_logits
    numeric = [(ce(zs + eps * e, 1) - ce(zs - eps * e, 1)) / (2 * eps)
               for e in np.eye(4)]
    np.testing.assert_allclose(numeric, p - np.eye(4)[1], atol=1e-8)


def test_bce_derivation_is_p_minus_y_and_catches_a_wrong_claim():
    loss, grad, gap = out.bce_logit_derivation()
    assert gap == 0
    z, y = sp.symbols("z y", real=True)
    # independent: the derivative at z = 0.3, y = 1 against finite differences
    g = float(grad.subs({z: 0.3, y: 1}))
    fd = (_bce_exact(0.3 + 1e-7, 1) - _bce_exact(0.3 - 1e-7, 1)) / 2e-7
    assert g == pytest.approx(fd, rel=1e-7)
    assert sp.cancel(grad - (1 / (1 + sp.exp(-z)))) != 0  # p alone is not the gradient


@pytest.mark.parametrize("n", [2, 3])
def test_softmax_derivation_gives_p_minus_y(n):
    grad, gap = out.softmax_ce_derivation(n)
    assert list(gap) == [0] * n
    # at a point, against central differences of the numeric loss
    zs, ys = np.linspace(-1, 1.5, n), np.full(n, 1 / n)
    subs = {sp.Symbol(f"z{i + 1}", real=True): zs[i] for i in range(n)}
    subs |= {sp.Symbol(f"y{i + 1}", real=True): ys[i] for i in range(n - 1)}
    got = [float(gi.subs(subs)) for gi in grad]

    def loss(v):
        return -float(np.sum(ys * (v - np.log(np.exp(v).sum()))))

    fd = [(loss(zs + 1e-6 * e) - loss(zs - 1e-6 * e)) / 2e-6 for e in np.eye(n)]
    np.testing.assert_allclose(got, fd, atol=1e-8)


def test_pytorch_returns_what_the_record_says():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    assert torch.__version__ == out.PYTORCH_VERSION

    def t(v):
        return torch.tensor([v], dtype=torch.float32)

    zs = torch.tensor([[1000.0, 0.0, -1000.0]])
    measured = [
        F.binary_cross_entropy_with_logits(t(40.0), t(0.0)).item(),
        F.binary_cross_entropy(torch.sigmoid(t(40.0)), t(0.0)).item(),
        F.binary_cross_entropy_with_logits(t(-800.0), t(1.0)).item(),
        F.binary_cross_entropy(torch.sigmoid(t(-800.0)), t(1.0)).item(),
        F.cross_entropy(zs, torch.tensor([2])).item(),
        -torch.log(torch.softmax(zs, 1))[0, 2].item(),
    ]
    assert measured == list(out.PYTORCH_MEASURED.values())

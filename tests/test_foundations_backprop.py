"""The computations of the backpropagation page, against SymPy, finite differences,
the registry's own derivatives, and TensorFlow where it is installed."""

import inspect

import numpy as np
import pytest
import sympy as sp

import activations as act
from activations import symbolic
from activations.foundations import backprop


def _sympy_gradient(params, xs, t):
    """The loss's exact gradient, by SymPy differentiation of the written network."""
    syms = {k: sp.Matrix(*v.shape if v.ndim == 2 else (v.shape[0], 1),
                         lambda i, j, k=k: sp.Symbol(f"{k}_{i}_{j}"))
            for k, v in params.items()}
    h = (syms["W1"] * sp.Matrix(xs) + syms["b1"]).applyfunc(sp.tanh)
    y = (syms["W2"] * h + syms["b2"])[0]
    loss = (y - t) ** 2 / 2
    subs = {syms[k][i, j]: float(np.asarray(v).reshape(syms[k].shape)[i, j])
            for k, v in params.items()
            for i in range(syms[k].rows) for j in range(syms[k].cols)}
    return {k: np.array([[float(sp.diff(loss, syms[k][i, j]).subs(subs))
                          for j in range(syms[k].cols)] for i in range(syms[k].rows)]
                        ).reshape(v.shape)
            for k, v in params.items()}


def test_central_differences_match_the_sympy_gradient():
    p = backprop.small_network(seed=3)
    xs, t = np.array([0.5, -1.2]), 0.7
    exact = _sympy_gradient(p, xs, t)
    numeric = backprop.numerical_gradient(lambda q: backprop.loss(q, xs, t), p)
    assert backprop.max_relative_difference(exact, numeric) < 1e-7


def test_loss_by_hand():
    # W1 = 0 gives h = 0, so y = b2 = 0.5 and L = (0.5 - 2)^2 / 2 = 1.125.
    p = {"W1": np.zeros((3, 2)), "b1": np.zeros(3), "W2": np.ones((1, 3)),
         "b2": np.array([0.5])}
    assert backprop.loss(p, np.array([1.0, 1.0]), 2.0) == 1.125


def test_max_relative_difference_by_hand():
    a = {"u": np.array([2.0, 0.0]), "v": np.array([[-1.0]])}
    b = {"u": np.array([2.5, 0.0]), "v": np.array([[-1.0]])}
    assert backprop.max_relative_difference(a, b) == pytest.approx(0.2)
    assert backprop.max_relative_difference(a, a) == 0.0


def test_every_declared_identity_and_the_page_branchwise_ones_are_rows():
    names = {r.name for r in backprop.via_output_rows()}
    declared = {n for n in act.names(elementwise=True)
                if act.get(n).via_output(symbolic.y) is not None}
    assert declared | set(backprop.BRANCHWISE) == names
    assert {"sigmoid", "tanh", "elu", "selu", "celu", "softsign"} <= names


@pytest.mark.parametrize("row", backprop.via_output_rows(), ids=lambda r: r.name)
def test_each_row_is_verified_and_agrees_numerically(row):
    """SymPy verified it, and g(f(x)) equals the registry's hand-written f'(x)."""
    assert row.verified
    a = act.get(row.name)
    xs = np.array([-3.0, -1.3, -0.4, 0.35, 1.1, 2.7])
    if row.name == "log_log":
        xs = xs[xs < 1]  # 1 - y rounds to 0 further out
    y = a(xs)
    if row.source == "registry":
        g = a.via_output(symbolic.y).subs(
            {a.symbols()[k]: sp.Float(p.default) for k, p in a.params.items()})
        via = sp.lambdify(symbolic.y, g, "numpy")(y) * np.ones_like(y)
    else:
        form = backprop.BRANCHWISE[row.name]
        params = {k: p.default for k, p in a.params.items()}
        consts = dict(form.constants)

        def ev(branch, v):
            return float(sp.sympify(branch(sp.Float(v), **params)).subs(consts))

        via = np.array([ev(form.positive if v > 0 else form.negative, v) for v in y])
    np.testing.assert_allclose(via, a.derivative(xs), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, form", [
    ("elu", backprop.Branchwise(lambda y, alpha: y + 1,
                                lambda y, alpha: sp.Integer(1))),
    ("softsign", backprop.Branchwise(lambda y: (1 - y) ** 2, lambda y: (1 - y) ** 2)),
    ("selu", backprop.Branchwise(
        lambda y: y + backprop._ALPHA, lambda y: backprop._LAM,
        backprop.BRANCHWISE["selu"].constants)),
])
def test_a_false_branchwise_identity_is_caught(name, form):
    assert not backprop.branchwise_holds(name, form)


def test_table_links_typesets_and_reports_a_failure(monkeypatch):
    html = backprop.via_output_table()._repr_html_()
    assert "href='../activations/exponential/elu.html'" in html
    assert "\\(f' = " in html and "SymPy: verified" in html
    assert "NOT verified" not in html
    monkeypatch.setitem(backprop.BRANCHWISE, "relu", backprop.Branchwise(
        lambda y: sp.Integer(1), lambda y: sp.Integer(1)))
    assert "SymPy: NOT verified" in backprop.via_output_table()._repr_html_()


def test_tensorflow_gradient_kernels_take_what_the_record_says():
    tf = pytest.importorskip("tensorflow")
    assert tf.__version__ == backprop.TENSORFLOW_VERSION
    for op, args in backprop.TENSORFLOW_GRAD_KERNELS.items():
        params = inspect.signature(getattr(tf.raw_ops, op)).parameters
        assert tuple(p for p in params if p != "name") == args

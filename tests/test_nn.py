"""The NumPy network of the gradients chapter: gradients, training, probes, data.

Expected values come from finite differences, closed-form variances, mpmath, or
an independent re-run; never from the code under test alone.
"""

from __future__ import annotations

import io
import math

import ipywidgets as w
import mpmath
import numpy as np
import PIL.Image
import pytest

import activations as act
from activations import nn, widgets
from activations.exponential import SELU_ALPHA, SELU_LAMBDA
from activations.nn import experiments, figures

# The MLP applies one activation per unit; vector-valued ones (softmax, GLU) are
# refused by MLP itself (test_mlp_refuses_a_vector_valued_activation).
NAMES = [n for n in act.names() if act.get(n).elementwise]


def _data(n=40, seed=0):
    X, y = nn.circles(n, rng=seed)
    return X, y


# --- backward pass ---------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_backward_matches_finite_differences(name):
    X, y = _data()
    # Nonzero biases move pre-activations off the kinks, where the one-sided
    # derivatives differ and a central difference straddling 0 is meaningless.
    net = nn.MLP([2, 5, 4, 2], name, init="xavier", bias=0.1, rng=1)
    analytic = net.backward(X, y).flat
    numeric = np.concatenate([g.ravel() for g in nn.numeric_gradient(net, X, y)])
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", [n for n in NAMES if act.get(n).params])
def test_backward_uses_the_activation_parameters(name):
    a = act.get(name)
    pname, p = next(iter(a.params.items()))
    value = p.default / 2 if p.default else 0.5
    X, y = _data()
    net = nn.MLP([2, 4, 2], name, bias=0.1, rng=2, activation_params={pname: value})
    numeric = np.concatenate([g.ravel() for g in nn.numeric_gradient(net, X, y)])
    np.testing.assert_allclose(net.backward(X, y).flat, numeric, rtol=1e-5, atol=1e-8)


def test_backward_loss_is_the_mean_cross_entropy():
    X, y = _data()
    net = nn.MLP([2, 3, 2], "tanh", rng=0)
    p = net.predict_proba(X)
    expected = -np.mean(np.log(p[np.arange(len(y)), y]))
    assert net.backward(X, y).loss == pytest.approx(expected, rel=1e-12)
    assert math.isnan(net.backward(X, y, loss=False).loss)


def test_pass_keeps_one_delta_per_layer():
    X, y = _data()
    step = nn.MLP([2, 6, 5, 4, 2], "relu", rng=0).backward(X, y)
    assert [d.shape for d in step.delta] == [(40, 6), (40, 5), (40, 4), (40, 2)]
    assert [z.shape for z in step.z] == [(40, 6), (40, 5), (40, 4)]


# --- initialisation ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("init", "variance"),
    [("he", 2 / 400), ("kaiming", 2 / 400), ("lecun", 1 / 400),
     ("xavier", 2 / (400 + 300)), ("glorot", 2 / (400 + 300))],
)
def test_initialisation_has_the_textbook_variance(init, variance):
    net = nn.MLP([400, 300, 2], "relu", init=init, rng=0)
    W = net.weights[0]
    # 120000 draws: the sample variance is within 1% of the truth with high odds
    assert W.var() == pytest.approx(variance, rel=0.02)
    assert abs(W.mean()) < 4 * math.sqrt(variance / W.size)


def test_normal_initialisation_uses_sigma_and_bias():
    net = nn.MLP([300, 300, 2], "tanh", init="normal", sigma=0.5, bias=0.25, rng=0)
    assert net.weights[0].std() == pytest.approx(0.5, rel=0.02)
    assert np.all(net.biases[0] == 0.25) and np.all(net.biases[1] == 0.25)


def test_parameters_are_views_of_one_vector():
    net = nn.MLP([2, 3, 2], "relu", rng=0)
    net.flat[:] = np.arange(net.flat.size)
    assert net.weights[0][0, 0] == 0 and net.biases[-1][-1] == net.flat.size - 1
    twin = net.copy()
    twin.weights[0][0, 0] = 99.0
    assert net.weights[0][0, 0] == 0 and twin.flat[0] == 99.0


@pytest.mark.parametrize(
    "kwargs",
    [{"sizes": [2]}, {"sizes": [2, 0, 2]}, {"init": "orthogonal"}],
)
def test_bad_network_arguments_are_value_errors(kwargs):
    args = {"sizes": [2, 3, 2], **kwargs}
    with pytest.raises(ValueError):
        nn.MLP(args.pop("sizes"), "relu", **args)


def test_unknown_activation_is_a_key_error():
    with pytest.raises(KeyError, match="relu"):
        nn.MLP([2, 3, 2], "reluu")


# --- optimisers and training ---------------------------------------------------------
def test_sgd_and_momentum_minimise_a_quadratic():
    for opt in (nn.SGD(0.1), nn.Momentum(0.05, beta=0.9)):
        p = np.array([3.0, -2.0])
        for _ in range(300):
            opt.step([p], [2 * p])
        np.testing.assert_allclose(p, 0.0, atol=1e-6)


def test_adam_first_step_has_the_size_of_the_learning_rate():
    # With bias correction the first update is lr * g / (|g| + eps) (Kingma & Ba)
    p = np.array([1.0, -1.0, 5.0])
    g = np.array([1e-3, -20.0, 3.0])
    nn.Adam(0.01).step([p], [g])
    np.testing.assert_allclose(p, [1.0 - 0.01, -1.0 + 0.01, 5.0 - 0.01], rtol=1e-6)


def test_unknown_optimiser_is_named():
    with pytest.raises(ValueError, match="rmsprop"):
        nn.optimizer("rmsprop")


@pytest.mark.parametrize(("name", "init"), [("relu", "he"), ("tanh", "xavier")])
def test_training_reaches_95_percent_on_circles(name, init):
    X, y = nn.circles(400, noise=0.1, rng=0)
    Xtr, ytr, Xte, yte = nn.split(X, y, 0.5, rng=1)
    net = nn.MLP([2, 16, 2], name, init=init, rng=0)
    nn.train(net, Xtr, ytr, nn.Adam(0.03), epochs=300, record=False)
    assert net.accuracy(Xtr, ytr) >= 0.95
    assert net.accuracy(Xte, yte) >= 0.95


def test_same_seed_same_numbers():
    def run(seed):
        X, y = nn.moons(200, rng=seed)
        net = nn.MLP([2, 8, 8, 2], "gelu", rng=seed)
        hist = nn.train(net, X, y, nn.SGD(0.3), epochs=5, batch_size=16, rng=seed)
        return net.flat.copy(), hist

    (w1, h1), (w2, h2), (w3, _) = run(3), run(3), run(4)
    np.testing.assert_array_equal(w1, w2)
    assert h1.loss == h2.loss and h1.dead == h2.dead
    assert not np.array_equal(w1, w3)


def test_training_in_two_calls_continues_the_run():
    X, y = nn.moons(100, rng=0)
    nets = [nn.MLP([2, 6, 2], "relu", rng=0) for _ in range(2)]
    nn.train(nets[0], X, y, nn.Adam(0.01), epochs=6, batch_size=20,
             rng=np.random.default_rng(5))
    opt, rng = nn.Adam(0.01), np.random.default_rng(5)
    hist = nn.train(nets[1], X, y, opt, epochs=2, batch_size=20, rng=rng)
    nn.train(nets[1], X, y, opt, epochs=4, batch_size=20, rng=rng, history=hist)
    np.testing.assert_array_equal(nets[0].flat, nets[1].flat)
    assert hist.epoch == list(range(7))


def test_history_starts_at_the_initial_state_and_records_the_end():
    X, y = nn.moons(100, rng=0)
    net = nn.MLP([2, 4, 2], "relu", rng=0)
    dead0 = nn.dead_fraction(net, X)
    hist = nn.train(net, X, y, "sgd", epochs=3, record=False)
    assert hist.epoch == [0, 3] and hist.dead[0] == dead0
    assert hist.accuracy[-1] == net.accuracy(X, y)


def test_divergence_is_reported_without_warnings():
    X, y = nn.circles(100, rng=0)
    net = nn.MLP([2, 16, 16, 2], "elu", init="normal", sigma=3.0, rng=0)
    hist = nn.train(net, X * 100, y, nn.SGD(1e6), epochs=20)
    assert hist.diverged and hist.epochs < 20


# --- probes -----------------------------------------------------------------------
def test_a_unit_negative_on_all_data_is_dead_and_gets_no_gradient():
    X, y = _data(100)
    net = nn.MLP([2, 6, 2], "relu", rng=0)
    net.biases[0][2] = -100.0
    dead = nn.dead_units(net, X)[0]
    assert dead[2] and dead.sum() == 1
    step = net.backward(X, y)
    assert np.all(step.grads[0][:, 2] == 0) and step.grads[1][2] == 0
    assert nn.dead_fraction(net, X) == pytest.approx(1 / 6)


def test_a_dead_relu_unit_stays_dead_under_adam():
    X, y = _data(100)
    net = nn.MLP([2, 6, 2], "relu", rng=0)
    net.biases[0][2] = -100.0
    before = net.weights[0][:, 2].copy()
    nn.train(net, X, y, nn.Adam(0.05), epochs=20)
    np.testing.assert_array_equal(net.weights[0][:, 2], before)
    assert net.biases[0][2] == -100.0


def test_activation_stats_are_layer_means_and_variances():
    X = np.random.default_rng(0).normal(size=(50, 3))
    net = nn.MLP([3, 4, 5, 2], "tanh", rng=0)
    h1 = np.tanh(X @ net.weights[0] + net.biases[0])
    h2 = np.tanh(h1 @ net.weights[1] + net.biases[1])
    stats = nn.activation_stats(net, X)
    np.testing.assert_allclose(stats.mean, [h1.mean(), h2.mean()], rtol=1e-12)
    np.testing.assert_allclose(stats.var, [h1.var(), h2.var()], rtol=1e-12)


def test_layer_gradients_of_a_linear_network_are_products_of_weights():
    # With the identity in place of f (leaky ReLU with slope 1), delta_l is
    # delta_{l+1} W_{l+1}^T exactly: check the probe against that recursion.
    X, y = _data(30)
    net = nn.MLP([2, 4, 4, 2], "leaky_relu", rng=0,
                 activation_params={"negative_slope": 1.0})
    step = net.backward(X, y)
    d2 = step.delta[-1] @ net.weights[2].T
    d1 = d2 @ net.weights[1].T
    g = nn.layer_gradients(net, X, y)
    np.testing.assert_allclose(g.preactivations, [np.linalg.norm(d1),
                                                  np.linalg.norm(d2)])
    assert g.ratio == pytest.approx(np.linalg.norm(d1) / np.linalg.norm(d2))
    assert len(g.weights) == 3


# --- data sets --------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(nn.DATASETS))
def test_datasets_are_seeded_balanced_and_two_dimensional(name):
    make = nn.DATASETS[name]
    X, y = make(101, rng=7)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0, 1} and abs(int(y.sum()) - 50) <= 1
    X2, y2 = make(101, rng=7)
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, make(101, rng=8)[0])


def test_circles_have_the_requested_radii():
    X, y = nn.circles(2000, noise=0.0, factor=0.3, rng=0)
    r = np.hypot(*X.T)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_split_is_a_partition():
    X, y = nn.spirals(50, rng=0)
    Xtr, ytr, Xte, yte = nn.split(X, y, 0.4, rng=0)
    assert len(Xtr) == 30 and len(Xte) == 20
    both = np.sort(np.r_[Xtr[:, 0], Xte[:, 0]])
    np.testing.assert_array_equal(both, np.sort(X[:, 0]))


# --- experiments ------------------------------------------------------------------
def test_sigmoid_gradient_shrinks_at_least_fourfold_per_layer():
    flow = experiments.gradient_flow(["sigmoid", "relu"], ["xavier", "he"], [12],
                                     width=64, n=64)
    # sigma' <= 1/4 and n sigma_w^2 = 1 for square Xavier layers
    assert flow.factor("sigmoid", "Xavier", 12) < 0.25 * 1.1
    assert 0.7 < flow.factor("relu", "He", 12) < 1.3


def test_predicted_factor_for_relu_is_sqrt_of_half_the_gain():
    assert experiments.predicted_factor("relu", "he") == pytest.approx(1.0, rel=1e-9)
    assert experiments.predicted_factor("relu", "lecun") == pytest.approx(
        math.sqrt(0.5), rel=1e-9)


def test_normal_moments_of_relu_and_tanh():
    # E[ReLU(Z)] = 1/sqrt(2 pi), E[ReLU(Z)^2] = 1/2 for a standard normal Z
    mean, second = experiments.normal_moments("relu")
    assert mean == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-9)
    assert second == pytest.approx(0.5, rel=1e-9)
    assert experiments.normal_moments("relu", 4.0)[1] == pytest.approx(2.0, rel=1e-9)
    mpmath.mp.dps = 20
    ref = mpmath.quad(lambda t: (1 - mpmath.tanh(t) ** 2) ** 2 * mpmath.npdf(t),
                      [-mpmath.inf, mpmath.inf])
    slope2 = experiments.normal_moments("tanh", derivative=True)[1]
    assert slope2 == pytest.approx(float(ref), rel=1e-8)


def test_born_dead_probability_lies_between_its_bounds():
    result = experiments.born_dead(widths=[2, 4], max_depth=12, trials=3000)
    for i, n in enumerate(result.widths):
        p = result.probability[i]
        assert p[0] == 0.0  # one layer always keeps one of x = 1 and x = -1 alive
        assert np.all(np.diff(p) >= 0)
        slack = 4 * np.sqrt(0.25 / result.trials)
        depths = np.arange(1, 13)
        assert np.all(p >= result.lower(n, depths) - slack)
        assert np.all(p <= result.upper(n, depths) + slack)


def test_selu_constants_solve_the_fixed_point_equations():
    with mpmath.workdps(50):
        lam, alpha = mpmath.mpf(SELU_LAMBDA), mpmath.mpf(SELU_ALPHA)

        def f(t):
            return lam * t if t > 0 else lam * alpha * mpmath.expm1(t)

        line = [-mpmath.inf, 0, mpmath.inf]
        mean = mpmath.quad(lambda t: f(t) * mpmath.npdf(t), line)
        second = mpmath.quad(lambda t: f(t) ** 2 * mpmath.npdf(t), line)
        # the closed form of alpha from Klambauer et al. (2017)
        closed = mpmath.sqrt(2 / mpmath.pi) / (
            1 - mpmath.erfc(1 / mpmath.sqrt(2)) * mpmath.exp(mpmath.mpf(1) / 2))
        assert abs(mean) < mpmath.mpf(10) ** -30 and abs(second - 1) < 1e-30
        assert mpmath.nstr(closed, 32) == SELU_ALPHA


def test_selu_propagation_settles_at_zero_mean_unit_variance():
    stats = experiments.propagate("selu", "lecun", depth=25, width=128, n=200,
                                  mean=0.5, var=3.0)
    assert abs(stats.mean[-1]) < 0.05 and abs(stats.var[-1] - 1) < 0.1
    assert abs(stats.var[0] - 3.0) < 0.1


def test_circles_sweep_records_every_checkpoint():
    sweep = experiments.circles_sweep(["tanh"], [(2,), (8,)], checkpoints=(5, 10),
                                      n=80)
    assert len(sweep.accuracy[("tanh", (8,))]) == 2
    assert ("tanh", (2,), 10) in sweep.nets
    net = sweep.nets[("tanh", (8,), 10)]
    assert sweep.accuracy[("tanh", (8,))][-1] == net.accuracy(sweep.X_test,
                                                              sweep.y_test)


def test_dead_sweep_and_compare_run_small():
    base = experiments.Config(hidden=(6,), epochs=2, n=60)
    sweep = experiments.dead_sweep(["relu"], [0.1], [0.0, -1.0], seeds=1, base=base)
    assert len(sweep.histories[("relu", 0.1, -1.0)][0].dead) == 3
    table, runs = experiments.compare({"a": base}, seeds=2)
    assert len(runs["a"]) == 2 and "ReLU" in repr(table)


# --- explorers over pre-rendered frames --------------------------------------------
def _stacks(widget):
    todo, found = [widget], []
    while todo:
        wd = todo.pop()
        if isinstance(wd, w.Stack):
            found.append(wd)
        todo.extend(getattr(wd, "children", ()))
    return found


def _images(widget):
    return [s for stack in _stacks(widget) for s in stack.children
            if isinstance(s, w.Image)]


def _png(text):
    img = PIL.Image.new("RGB", (4, 4), (len(text) * 10 % 256, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "png")
    return buf.getvalue() + text.encode()


def test_frames_explorer_nests_one_stack_level_per_control():
    seen = []

    def frame(shape, size):
        seen.append((shape, size))
        return _png(f"{shape}{size}")

    box = widgets.frames_explorer({"shape": ["a", "b"], "size": [1, 2, 3]}, frame,
                                  sliders=("size",), value={"size": 3})
    assert "frames-explorer" in box._dom_classes
    toggle, slider = box.children[:2]
    assert isinstance(toggle, w.ToggleButtons) and isinstance(slider, w.SelectionSlider)
    assert sorted(seen) == [(s, n) for s in "ab" for n in (1, 2, 3)]
    assert len(_images(box)) == 6 and len({i.value for i in _images(box)}) == 6
    # every stack is driven from the browser by the control of its level
    sources = {ln.source[0] for ln in box.links}
    assert sources == {toggle, slider} and len(box.links) == 1 + 2
    assert slider.value == 3 and all(
        s.selected_index == 2 for s in _stacks(box) if s.children
        and isinstance(s.children[0], w.Image))


def test_gradient_flow_explorer_has_a_frame_per_combination():
    flow = experiments.gradient_flow(["tanh", "relu"], ["he", "lecun"], [3, 5],
                                     width=8, n=16)
    box = figures.gradient_flow_explorer(flow)
    images = _images(box)
    assert len(images) == 2 * 2 * 2
    assert all(bytes(i.value[:4]) == b"\x89PNG" for i in images)
    assert max(len(i.value) for i in images) < 12_000  # small palette PNGs


def test_circles_explorer_has_a_frame_per_combination():
    sweep = experiments.circles_sweep(["relu", "tanh"], [(2,), (3,)],
                                      checkpoints=(5, 10), n=60)
    box = figures.circles_explorer(sweep, [(2,), (3,)])
    assert len(_images(box)) == 2 * 2 * 2
    assert any(isinstance(c, w.SelectionSlider) for c in box.children)


def test_mlp_refuses_a_vector_valued_activation():
    with pytest.raises(ValueError, match="softmax is not elementwise"):
        nn.MLP([2, 4, 2], "softmax")


@pytest.mark.parametrize("bad, message", [
    (lambda y: y[:, None], r"shape \(64,\)"),          # broadcast to (64, 64) before
    (lambda y: np.where(y == 1, -1, y), r"\[0, 1\]"),  # -1 indexed the last class
    (lambda y: y + 2, r"\[0, 1\]"),
    (lambda y: y.astype(float), "integers"),
])
def test_bad_labels_are_refused_by_loss_accuracy_and_backward(bad, message):
    X, y = nn.circles(64, rng=0)
    net = nn.MLP([2, 8, 2], rng=0)
    for call in (net.loss, net.accuracy, net.backward):
        with pytest.raises(ValueError, match=message):
            call(X, bad(y))


# --- arguments that used to be accepted silently --------------------------------------

@pytest.mark.parametrize("test, message", [
    (1.5, r"test.*\(0, 1\).*1\.5"), (0.0, r"test.*\(0, 1\)"), (1.0, r"test.*\(0, 1\)"),
    (-0.2, r"test.*\(0, 1\)"), (float("nan"), r"test.*\(0, 1\)"),
])
def test_split_needs_a_test_fraction_in_zero_one(test, message):
    # test=1.5 gave a negative cut and a silently wrong split
    X, y = nn.circles(20, rng=0)
    with pytest.raises(ValueError, match=message):
        nn.split(X, y, test=test)


def test_split_refuses_an_empty_part_and_mismatched_lengths():
    X, y = nn.circles(4, rng=0)
    with pytest.raises(ValueError, match="test set empty"):
        nn.split(X, y, test=0.05)
    with pytest.raises(ValueError, match="one row per point"):
        nn.split(X, y[:3])


@pytest.mark.parametrize("batch_size, error", [
    (-8, ValueError), (0, ValueError), (2.5, TypeError), (True, TypeError),
    ("8", TypeError),
])
def test_train_needs_a_positive_whole_batch_size(batch_size, error):
    # batch_size=-8 trained on nothing, without a word
    X, y = nn.circles(40, rng=0)
    net = nn.MLP([2, 4, 2], rng=0)
    with pytest.raises(error, match=r"batch_size.*whole number >= 1"):
        nn.train(net, X, y, epochs=1, batch_size=batch_size)
    config = experiments.Config(batch_size=batch_size, epochs=1, n=20, hidden=(4,))
    with pytest.raises(error, match=r"batch_size.*whole number >= 1"):
        experiments.run(config)


@pytest.mark.parametrize("epochs, error", [
    (-1, ValueError), (0, ValueError), (2.5, TypeError), (None, TypeError),
])
def test_train_needs_a_positive_whole_number_of_epochs(epochs, error):
    X, y = nn.circles(40, rng=0)
    with pytest.raises(error, match=r"epochs.*whole number >= 1"):
        nn.train(nn.MLP([2, 4, 2], rng=0), X, y, epochs=epochs)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"sigma": float("nan")}, ValueError, "sigma"),
    ({"sigma": float("inf")}, ValueError, "sigma"),
    ({"sigma": -0.1}, ValueError, "sigma"),
    ({"sigma": "0.1"}, TypeError, "sigma"),
    ({"bias": float("nan")}, ValueError, "bias"),
    ({"bias": -float("inf")}, ValueError, "bias"),
    ({"bias": None}, TypeError, "bias"),
    ({"sizes": [2, 2.5, 2]}, TypeError, r"sizes\[1\]"),
    ({"sizes": [2, True, 2]}, TypeError, r"sizes\[1\]"),
    ({"sizes": [2, -3, 2]}, ValueError, r"sizes\[1\]"),
    ({"sizes": 3}, TypeError, "sizes"),
    ({"init": None}, TypeError, "init"),
    ({"rng": -1}, ValueError, "rng"),
    ({"rng": 1.5}, TypeError, "rng"),
    ({"rng": True}, TypeError, "rng"),
])
def test_mlp_refuses_silently_harmful_arguments(kwargs, error, message):
    # a NaN sigma or bias made every weight or bias NaN; 2.5 was read as 2
    args = {"sizes": [2, 3, 2], "init": "normal", **kwargs}
    with pytest.raises(error, match=message):
        nn.MLP(args.pop("sizes"), "relu", **args)


@pytest.mark.parametrize("make, message", [
    (lambda: nn.SGD(float("inf")), "lr"), (lambda: nn.SGD(0), "lr"),
    (lambda: nn.SGD("0.1"), "lr"), (lambda: nn.Momentum(0.1, beta=1.5), "beta"),
    (lambda: nn.Adam(beta2=float("nan")), "beta2"), (lambda: nn.Adam(eps=0), "eps"),
    (lambda: nn.optimizer(3), "optimiser"),
    (lambda: nn.circles(40, noise=-1), "noise"),
    (lambda: nn.spirals(40, noise=float("nan")), "noise"),
    (lambda: nn.moons(40.5), "n"),
    (lambda: nn.init_std("normal", 4, 4, sigma=float("nan")), "sigma"),
])
def test_optimisers_and_data_refuse_bad_numbers(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


@pytest.mark.parametrize("seeds", [0, -1, 1.5])
def test_experiments_need_at_least_one_seed(seeds):
    """With no seed there is nothing to average: an error, not a table of NaNs."""
    with pytest.raises((TypeError, ValueError), match="seeds"):
        experiments.dead_sweep(("relu",), (0.1,), (0.0,), seeds=seeds)
    with pytest.raises((TypeError, ValueError), match="seeds"):
        experiments.compare({"relu": experiments.Config()}, seeds=seeds)


def test_keras_circles_records_loss_and_accuracy_every_epoch():
    curves = experiments.keras_circles(("tanh",))  # 50 epochs on 250 points
    h = curves.histories["tanh"]
    assert h.epoch == list(range(51))
    # a freshly initialised two-class network predicts about 1/2 everywhere, so its
    # cross-entropy starts near ln 2
    assert abs(h.loss[0] - np.log(2)) < 0.1
    assert h.loss[-1] < 0.6 * h.loss[0] and h.accuracy[-1] > 0.9
    assert curves.final("tanh") == (h.loss[-1], h.accuracy[-1],
                                    curves.test_accuracy["tanh"])

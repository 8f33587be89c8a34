"""The activation chapters state no computed number by hand.

A number in a chapter's prose that restates a result of a computation (a minimum,
a crossing point, an error, a count of correct digits, a value a framework
returns) must be glued from the cell that computes it (``{glue:text}``), so that
text and output cannot disagree. CONTRIBUTING.md ("A chapter", "Numbers in the
prose") states the rule.

The check reads the prose as ``test_experiment_prose`` does (code cells, display
math, roles, inline code and directive options blanked) and allows, without a
list:

* 0 and 1, and years (1900-2099: the citations);
* a number that also occurs in the page's code cells or its display math: the
  formula's constants, the parameters' defaults and the inputs the page evaluates
  at are written there, and a result is not.

Every other number, and every inline math that is only a number, must lie inside
one of the chapter's allowed phrases below, each a definition, a setting or a
published constant, never a result. An entry beginning with ``$`` allows that
inline math exactly (such as ``$-1$``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from test_experiment_prose import _NUMBER, _code_lines, typed_numbers

BOOK = Path(__file__).resolve().parents[1] / "book" / "activations"
_YEAR = re.compile(r"(19|20)\d\d")

SIGMOIDAL_LINEAR_SHRINKAGE: dict[str, list[str]] = {
    "sigmoidal/apa.md": [
        "$U(0, 1)$",  # AGLU's initialisation
        "$10^{-4}$",  # AGLU's clamp
        "$-z > 20$",  # softplus' threshold
        "$e^{z} < 2 \\times 10^{-9}$",  # e^{-20}
        "$\\lambda = 0.5$, $\\kappa = 2$",  # the exercise's settings
        "$\\lambda = 0.01$",
    ],
    "sigmoidal/arctan.md": [
        "$10^{20}$",  # input point
        "$10^{160}$",  # input point
        "$0.01$",  # the exercise threshold
        "within 0.01",  # the exercise threshold
        # closed forms and their decimals
        "$x = 0.15^{1/5} \\approx 0.68$",
    ],
    "sigmoidal/bipolar_sigmoid.md": [
        "$10^{-12}$",  # input point
        # closed forms and their decimals
        "$\\varepsilon/4 \\approx 5.6 \\times 10^{-17}$",
    ],
    "sigmoidal/elliott_sigmoid.md": [],
    "sigmoidal/hard_sigmoid.md": [
        "$-3$",  # ramp ends at slope 1/6 (definition)
        "$3$",
        "$-2.5$",  # ramp ends at Keras 2 slope 0.2
        "$2.5$",
        "$0.2$",  # Keras 2 slope
        "TensorFlow up to 2.15",  # a version
        "$10^{-15}$",  # float64 tolerance
    ],
    "sigmoidal/hard_tanh.md": [
        "$-1$",  # the corner
    ],
    "sigmoidal/isru.md": [
        "$10^{20}$",  # input point
        "$10^{200}$",  # input point
    ],
    "sigmoidal/laplace.md": [
        "Hugging Face transformers 5.25.0 offers",
        "$-1$",
        "$10^{-9}$",
        "$-3$",
    ],
    "sigmoidal/lecun_tanh.md": [
        "at 50 digits",  # the check's working precision
        "write 1.7519",  # a miscopied constant
        "$1.7159$",  # the published amplitude
        "$1.5$",  # the divisor written in the code
        # the square of the slope at 0
        "$1.144^2 \\approx 1.31$",
    ],
    "sigmoidal/log_log.md": [
        "$10^{-16}$",  # the level of double precision the series is compared with
    ],
    "sigmoidal/normal_cdf.md": [
        "$-1$",  # the lower bound of erf
        "1.702 is the classical constant",  # the psychometric constant
        "$0.0005$",  # the step of the grid of scales
        "$10^{-12}$",  # the exercise tolerance
        # closed forms and their decimals
        "$c = 4/\\sqrt{2\\pi} \\approx 1.596$",
    ],
    "sigmoidal/penalized_tanh.md": [
        "compared 21 activations",  # the study's design
        "$0.5$",  # the exercise setting
    ],
    "sigmoidal/sigmoid.md": [
        "50-layer networks",  # the experiment's depth
        "at least 30 significant digits",  # the check's working precision
        "agree to 25 digits",  # the check's agreement criterion
        "$10^{-6}$",  # the gradient check tolerance
        "$-100$",  # the clamp of torch.nn.BCELoss
        # closed forms and their decimals
        "$4^{-10} \\approx 10^{-6}$",
    ],
    "sigmoidal/softsign.md": [
        "with input 10",  # the input point
        "$10^{160}$",  # input point
        "$10^{-3}$",  # the exercise threshold
    ],
    "sigmoidal/sparse_sigmoid.md": [
        "(section 6.2)",
        "$-1$",  # the end of the ramp
    ],
    "sigmoidal/sqnl.md": [
        "$-2$",  # the breakpoints (definition)
        "$2$",
    ],
    "sigmoidal/srs.md": [
        "$10^{-2}$",  # the benchmark code's stabiliser
        "$(a, b) = (5, 3)$",  # the benchmark code's initial values
        "$(10, 10)$",
        "SENet-18 runs",  # the benchmark's network
        "$x < -88b$",  # where float32 exp overflows
        "$\\alpha = 2.5, 5, 20$",  # the exercise's settings
    ],
    "sigmoidal/tanh.md": [
        "50-layer networks",  # the experiment's depth
        "at least 30 significant digits",  # the check's working precision
        "agree to 25 digits",  # the check's agreement criterion
        "$10^{-6}$",  # the gradient check tolerance
        "$-1$",  # the end of the range
        "The constant 1.7159",  # LeCun's published constant
        "through 30 tanh layers",  # the other chapter's depth
    ],
    "linear/exponential.md": [],
    "linear/identity.md": [
        # closed forms and their decimals
        "$x \\approx \\sqrt{0.03} \\approx 0.17$",
    ],
    "linear/sign.md": [
        "a factor of 32 against float32",  # 32 bits against one bit
        "$-1$",  # a value of the function
    ],
    "linear/step.md": [
        "mentions 0.5 as a common choice",  # a convention
        "$-0.0$",  # the signed zero
        "$0.0$",
        "$10^{-9}$",  # grid points near the jump
    ],
    "linear/threshold.md": [
        "$10^{-9}$",  # grid points beside the threshold
        "$10^{-3}$",  # the exercise distance from the threshold
    ],
    "shrinkage/hardshrink.md": [
        "Keras 3",
        "$-0$",  # the signed zero
    ],
    "shrinkage/softshrink.md": [
        "$0.1$",  # a parameter value on the grid
        "$10^{-9}$",  # grid points beside the kinks
    ],
    "shrinkage/tanhshrink.md": [
        "a 21-term polynomial",  # the registry's series length
        "the registry uses 21",  # the registry's series length
        "registry's 21 terms",
        "$10^{-17}$",  # the target remainder
        # closed forms and their decimals
        "$\\varepsilon = 2^{-52} \\approx 2.2 \\times 10^{-16}$",
        "$\\varepsilon = 2^{-23} \\approx 1.2 \\times 10^{-7}$",
    ],
}


RECTIFIER_EXPONENTIAL_PERIODIC_SEARCHED: dict[str, list[str]] = {
    "rectifier/absolute.md": [
        "Caltech-101",  # a data set's name
        "$-1$",  # the slope of the left branch, from the definition
        "$-0.0$",  # an input
        # closed forms and their decimals
        "$\\sqrt{2/\\pi} \\approx 0.798$",
        "$\\operatorname{Var}|Z| = 1 - 2/\\pi \\approx 0.363$",
    ],
    "rectifier/leaky_relu.md": [
        "at 50 significant digits",  # working precision
        "(tolerance 4)",
        "$0.5$",  # a slope checked
        # recommended settings
        "use 0.01 for a drop-in ReLU replacement and 0.1 to 0.3",
        "more than 10% in variance",  # the exercise's threshold
        "exceeds 1.1",  # the 10% threshold restated
        # the published slope 1/5.5
        "$1/5.5 \\approx 0.18$",
    ],
    "rectifier/prelu.md": [
        "whose 4.94% top-5 error",  # the paper's published result
        "about 5.1%",  # published human error estimate
        # slopes the paper reports
        "(0.681 in the channel-shared model, 0.596 on average",
        "Flax at 0.01",  # a framework default
        "$-1$",  # parameter values checked
        "$0.25$",  # the default slope
    ],
    "rectifier/relu.md": [
        "at 50 significant digits",  # working precision
        "4 is the tolerance",
        "in 30-layer networks",  # the depth the other chapter uses
        "in 16- and 32-bit training",  # the paper's settings
        # closed forms and their decimals
        "$\\mathbb{E}[\\operatorname{ReLU}(Z)] = 1/\\sqrt{2\\pi} \\approx 0.3989$",
        "$2^{-20} \\approx 10^{-6}$",
    ],
    "rectifier/relu6.md": [
        "$10^{-9}$",  # grid offsets beside the corners
        "$10^{-6}$",
        "$10^{-3}$",
        # closed forms and their decimals
        "$\\mathbb E[(Z - 6)^+] = \\varphi(6) - 6\\,(1 -"
        " \\Phi(6)) \\approx 1.6 \\times 10^{-10}$",
    ],
    "rectifier/relu_n.md": ["cap 6.5"],
    "rectifier/rrelu.md": [
        "CIFAR-10, CIFAR-100",  # data set names
        "their best CIFAR-100 result, 75.68%",  # published
        # closed forms and their decimals
        "$11/48 \\approx 0.229$",
        "$2 \\cdot (5/24)/\\sqrt{12} \\approx 0.120$",
        "$-2 \\cdot 11/48 \\approx -0.458$",
    ],
    "rectifier/squared_relu.md": [],
    "rectifier/repu.md": ["6"],  # 3! = 6, the jump of the third derivative at p = 3
    "rectifier/srelu.md": [
        "Leaky ReLU with slope 0.5",  # the default a_l
        "CIFAR-10, CIFAR-100",  # data set names
    ],
    "rectifier/star_relu.md": ["71% fewer activation FLOPs"],
    "exponential/celu.md": [],
    "exponential/elu.md": [
        "CIFAR-10, CIFAR-100",  # data set names
    ],
    "exponential/isrlu.md": [
        "the tolerance of 4",
        "$-1$",  # the floor at alpha = 1, the setting
        "$-0.3$",  # the example in that docstring
        "$-1.5$",  # the floor of ELU at the exercise's alpha = 1.5
    ],
    "adaptive/pau.md": [
        "$-0$",  # a signed zero, where the CUDA kernel's copysign picks a side
    ],
    "adaptive/rational.md": [],
    "exponential/xielu.md": ["in transformers 5.25.0", "transformers 5.25.0 offers"],
    "exponential/pelu.md": [],
    "exponential/pdelu.md": [
        "the exponent is 99",  # t/(1 - t) at t = 0.99, a definition
        "$-1$",  # d f/d alpha on the flat part: -alpha/alpha, exact
        "$-10$",  # the clamp point -1/(1 - t) at t = 0.9
    ],
    "exponential/selu.md": [
        "through 50 layers",  # the depth the other chapter uses
        "the 121 data sets",  # published benchmark
        "$-1$",  # ELU floor at alpha = 1, the setting
        "$10^6$",  # the sample size the exercise sets
        # the product of the published constants
        "$-\\lambda\\alpha \\approx -1.7581$",
    ],
    "periodic/cos.md": [
        "$-0$",  # the IEEE signed zero, -(+0)
        # closed forms and their decimals
        "$\\mathbb{E}[\\cos Z] = e^{-1/2} \\approx 0.607$",
    ],
    "periodic/gaussian.md": [
        "$10^3$",  # the cap the registry sets
        # closed forms and their decimals
        "$|f'| = \\sqrt{2/e} \\approx 0.858$",
        "$\\mathbb{E}[e^{-Z^2}] = 1/\\sqrt3 \\approx 0.577$",
        "$|f'| = 2 \\cdot \\tfrac{1}{\\sqrt2}\\, e^{-1/2}"
        " = \\sqrt{2/e} \\approx 0.858$",
        "$e^{-100} \\approx 3.7 \\times 10^{-44}$",
    ],
    "periodic/sin.md": [
        "$10^4$",  # an input
        "$30$",  # SIREN's omega_0
        "$10^{-16}$",  # float64 rounding unit of numbers near 1
        # closed forms and their decimals
        "$2^{26} \\approx 6.7 \\times 10^{7}$",
        "$(6 \\times 0.05)^{1/3} \\approx 0.67$",
    ],
    "periodic/sinc.md": [
        "for each factor of 10",  # the exercise's step
        # 10 squared, from 3 eps / x^2
        "each factor of 10 in $x$ costs a factor of 100",
        "$10^{-9}$",  # the tolerance the solution sets
    ],
    "periodic/snake.md": [
        "$10^{-6}$",  # the tolerance of the finite-difference check
        "$10^{-8}$",  # an alpha the page evaluates at
        "up to 10",  # the range of alpha evaluated
        # closed forms and their decimals
        "$\\mathbb{E}[\\sin^2 Z] = (1 - e^{-2})/2 \\approx 0.432$",
    ],
    "periodic/gcu.md": [
        "VGG-16 on CIFAR-10, CIFAR-100",  # the paper's network and data sets
        # the XOR exercise's pre-activations 1.5 (v1 + v2) - 0.5, exact
        "$-0.5$", "$2.5$",
    ],
    "periodic/gabor.md": [
        # the constants of the WIRE code and scripts (modules/wire.py, wire_*.py)
        "$s_0 = 40$", "from 4 to 40",
        "$-2$",  # the Gaussian's curvature at 0, a closed form
    ],
    "periodic/snake_beta.md": [
        # the registered ranges of a and b
        "$-4$", "$0.01$", "$-0.01$", "to 3, keep",
    ],
    "searched/arctid.md": [
        "$-1$",  # exact: the slope of -x, the limit of the slope
        "$10^{200}$",  # an input the page evaluates at (1e200)
    ],
    "searched/cosper.md": [
        "$-1$",  # exact: the slope of -x, the bottom of sin
        "$10^{-16}$",  # float64 rounding unit of a number near 1
        "$-1.6$",  # grid input near a flat point
        "$4.7$",  # grid input near a flat point
    ],
    "searched/cube.md": [
        "carries 53 bits",  # the float64 significand
        # closed forms and their decimals
        "$1/\\sqrt{15} \\approx 0.26$",
        "$v = 1/\\sqrt{15} \\approx 0.258$",
        "$1/\\sqrt{15} \\approx 0.258$",
    ],
    "searched/maxsig.md": [
        "$10^{-9}$",  # grid offsets beside the kink
        "$10^{-6}$",
        "$10^{-3}$",
        "$-1$",  # the floor of tanh, exact
    ],
    "searched/maxtanh.md": [
        "$-1$",  # the floor of tanh, exact
    ],
    "searched/minsin.md": [
        "$-1$",  # the floor of tanh and of sin, exact
    ],
}


SELF_GATED_SOFT_RECTIFIER_VECTOR: dict[str, list[str]] = {
    "self_gated/clipped_gelu.md": ["Transformers 5.25.0", "256 levels", "$-10$"],
    "self_gated/gelu.md": [
        "Keras 3",
        "$-0.75$",  # the starting guess of nsolve
        "$-1$",  # the value erf approaches
        "$1.1 \\times 10^{-16}$",  # the float64 spacing near 1
        "$-10$",  # an input the page evaluates at
        "$10^{-12}$",  # the exercise's tolerance
        # closed forms and their decimals
        "$\\sqrt\\pi / (2\\pi) = 1/(2\\sqrt\\pi) \\approx 0.28209$",
    ],
    "self_gated/gelu_tanh.md": [
        "60-digit",  # the reference precision
        "$0.044715$",  # the published constant
        "$0.0445$", "$0.0449$",  # the range scanned
        "$1.702$",  # the published sigmoid constant
        "$-1$",  # the value tanh rounds to
        "$10^{-16}$",  # the float64 spacing near 1
        "$10^{-12}$",  # the exercise's tolerance
        # closed forms and their decimals
        "$\\sqrt{2/\\pi} \\approx 0.7979$",
        "$1/(2\\sqrt\\pi) \\approx 0.28209$",
        "$2\\sqrt{2/\\pi} \\approx 1.596$",
        "$f''(0) = \\sqrt{2/\\pi} \\approx 0.798$",
        "$2^{-54} \\approx 5.6 \\times 10^{-17}$",
    ],
    "self_gated/hard_mish.md": ["$-2$", "$-1$", "$-3$", "$10^{-9}$", "timm 1.0.31"],
    "self_gated/hard_swish.md": [
        "$-3$", "$3$",  # the breakpoints of the definition
        "$10^{-9}$",  # how close the test grid comes to the kinks
        # closed forms and their decimals
        "$\\operatorname{SiLU}(-3) = -3\\sigma(-3) \\approx -0.142$",
    ],
    "self_gated/lisht.md": [],
    "self_gated/tanhexp.md": [
        "at 40, where",  # the kernel's cap (_TANHEXP_CAP)
        "arXiv preprint 2003.09855",  # an identifier
        "$10^{-7}$",  # the exercise's threshold
    ],
    "self_gated/serf.md": [
        "at 30 inside",  # the kernel's cap (_SERF_CAP)
        "(2108.09598)", "preprint 2108.09598",  # an identifier
    ],
    "self_gated/smish.md": [],
    "self_gated/acon_c.md": [
        # the registered ranges of the slopes and of beta
        "$-4$", "$4$", "from 0 to 16",
    ],
    "self_gated/e_swish.md": [
        "to 4, and",  # the registered upper end of beta
        "$-0.0$",  # the signed zero the naive form returns (shown in the cell)
    ],
    "self_gated/elish.md": [
        "$-1$",  # ELU's floor, a property of its definition
    ],
    "self_gated/smu.md": [
        "$10^6$",  # a circulating initial value of mu
        "$-1$",  # erf's limit, the value float32 rounds erf(-10) to
        "at 50 digits",  # the check's working precision
        "2111.04682",  # the arXiv identifier
    ],
    "self_gated/hard_elish.md": [
        "$-1$",  # the left end of the gate's ramp, a breakpoint of the definition
        "$-3$",  # the left end of Hard Swish's ramp, from its definition
    ],
    "self_gated/mish.md": [
        "$-20$", "$-40$", "$-10$",  # inputs of the table
    ],
    "self_gated/gelu_sigmoid.md": [
        # published constants: MLX's, the tanh form's, QuickGELU's, MLX's old 1.773
        "$1.60033$", "$0.0433603$", "$0.044715$", "$1.702$", "$1.773$",
        # MLX's documented error bounds, read from its source
        "$0.0003$", "$0.015$",
        "$-1$",  # the limit of tanh in the left tail
        # MLX's pull requests and issue, and the version read
        "mlx#744", "mlx/pull/744", "mlx#989", "mlx/pull/989", "mlx#1265",
        "mlx/issues/1265", "MLX 0.32.4",
        # a closed form and its decimal
        "$2\\sqrt{2/\\pi} \\approx 1.5958$",
        "$a = 2\\sqrt{2/\\pi} \\approx 1.5958$",
    ],
    "self_gated/quick_gelu.md": [
        "$1.702$",
        "version 5.25.0",
        "version 1.0.31",
        "Transformers 5.25.0",
    ],
    "self_gated/silu.md": [
        "$-95$",  # an input of the table
        # closed forms and their decimals
        "$\\sup_x \\bigl|\\operatorname{swish}_\\beta(x) -"
        " \\operatorname{ReLU}(x)\\bigr| = W(1/e)/\\beta \\approx 0.2785/\\beta$",
    ],
    "soft_rectifier/bent_identity.md": [
        "some 400 activation functions",  # the size of the cited survey
        "$10^{-16}$",  # the square of the input 10^-8
        "$10^{-8}$",  # the exercise's smallest input
    ],
    "soft_rectifier/log_sigmoid.md": [
        "$1.1 \\times 10^{-16}$",  # half the float64 spacing below 1
        "$-800$", "$800$",  # the exercise's range
        # closed forms and their decimals
        "$f(0) = -\\log 2 \\approx -0.693$",
    ],
    "soft_rectifier/shifted_softplus.md": [
        "$-1$",
        "$-10^{-12}$",
        "$10^{-12}$",
        "$-50$",
        "$50$",
    ],
    "soft_rectifier/softplus.md": [
        "$20$",  # PyTorch's default threshold
        "threshold such as 40",  # a suggested setting
        "$1.1 \\times 10^{-16}$",  # half the float64 spacing near 1
        "$10^{-3}$",  # the exercise's tolerance
        "$2$",  # an input the exercise reads the slope at
        # closed forms and their decimals
        "$4\\log 2 \\approx 2.8$",
        "$f(0) = \\log 2 \\approx 0.693$",
        "$e^{-20} \\approx 2.1 \\times 10^{-9}$",
        "$\\beta \\ge 1000\\log 2 \\approx 693$",
        "$\\sigma(-2) \\approx 0.12$",
        "$\\sigma(2) \\approx 0.88$",
        "$\\sigma(1)^{20} \\approx 0.731^{20} \\approx 1.9 \\times 10^{-3}$",
    ],
    "soft_rectifier/sparse_plus.md": [
        "$-1$",  # a breakpoint of the definition
        "$10^{-9}$",  # how close the test grid comes to the breakpoints
        # closed forms and their decimals
        "$\\log 2 \\approx 0.69$",
    ],
    "soft_rectifier/sqrt_softplus.md": [
        "in transformers 5.25.0",
        "transformers 5.25.0 writes",
    ],
    "soft_rectifier/squareplus.md": [
        "$-10^{6}$", "$-10^{8}$",  # inputs of the table
        "$3 \\times 10^{19}$",  # an input of the table
        "$10^{-6}$",  # an example of a small scale
        "$10^{-12}$",  # the exercise's tolerance
        # closed forms and their decimals
        "$b = 4(\\log 2)^2 \\approx 1.92$",
    ],
    "vector/abrelu.md": [
        "$10^{17}$",  # the large entry of the cancellation example
        "$-1$",  # an entry the sweep holds fixed
    ],
    "vector/bilinear.md": [
        "above 256", "float16, 65504",  # float16's largest finite value and its root
    ],
    "vector/crelu.md": [
        "CIFAR-10", "CIFAR-100",  # benchmarks' names
        "is 128 long",  # the exercise's layer size (twice its width)
    ],
    "vector/entmax15.md": [
        "more than 4 below",  # the clamp: u = x/2 <= -2 is never in the support
    ],
    "vector/dglu.md": [
        "close to 90 per cent",  # the sparsity Song et al. report
        "Mixtral-47B",  # a model's name
    ],
    "vector/geglu.md": [],
    "vector/geglu_tanh.md": ["In transformers 5.25.0"],  # the version measured
    "vector/glu.md": [
        "WikiText-103",  # a benchmark's name
        "Keras 3",
        # closed forms and their decimals
        "$\\partial/\\partial a = (1 - \\tanh^2 2)\\,\\sigma(b)"
        " \\approx 0.0707 \\times 0.9975 \\approx 0.0705$",
    ],
    "vector/gtu.md": ["$-709$"],  # float64 exp overflows beyond 709
    "vector/gumbel_softmax.md": [],
    "vector/groupsort.md": [
        "On 20000 random",  # the exercise's sample size (20_000 in its code)
    ],
    "vector/log_softmax.md": [
        # closed forms and their decimals
        "$-\\log(1 + e^{-40}) \\approx -4.2 \\times 10^{-18}$",
    ],
    "vector/lwta.md": [],
    "vector/maxmin.md": [
        "$-1$",  # the slope |x| must have for x < 0
    ],
    "vector/maxout.md": [
        "CIFAR-10", "CIFAR-100",  # benchmarks' names
        "$-1$",  # a corner of the exercise's pieces
        # closed forms and their decimals
        "$1/\\sqrt{\\pi} \\approx 0.5642$",
    ],
    "vector/polynorm.md": [
        "dividing it by 1000",  # the scale the Properties cell applies (1e-3)
        "a slope of about 1000",  # 1/sqrt(eps) with eps = 1e-6
        "$-1$",  # an entry the sweep holds fixed
        "$10^{60}$",  # the exercise's input
    ],
    "vector/quiet_softmax.md": [
        "$-3$", "$3$",  # the scores the Properties cell evaluates at
        "$-6$", "$2$",  # the exercise's range of mean scores
    ],
    "vector/reglu.md": [],
    "vector/softmax.md": [
        "spread of about 80",  # how the test vectors are drawn
        "agree to 25 digits",  # the reference's stopping rule
        "$10^{-300}$",  # the case the reference must resolve
        "$-1$",  # the limit of s_y - 1
        "$-2$", "$4$",  # the exercise's sweep
    ],
    "vector/softmin.md": [],
    "vector/solu.md": [
        "hold 90 per cent",  # the exercise's threshold
    ],
    "vector/sparsemax.md": [
        # the bug report, the version and the fix
        "issue 23425", "after 3.15.1", "request 23469",
    ],
    "vector/swiglu.md": [],
    "vector/swiglu_oai.md": [],
}

ADAPTIVE_PIECEWISE: dict[str, list[str]] = {
    "adaptive/apl.md": [
        "CIFAR-10 and CIFAR-100",  # data set names
        "$10^{300}$",  # the input of the cancellation example (its code uses 1e300)
        "$-1$",  # the left slope of |x|, the exercise's answer by hand
        "$0.1$",  # 0.6 - 0.5, the example of the rounding the kernel avoids
    ],
    "adaptive/kaf.md": [
        "$-1$", "$3$",  # ELU's values at the ends of the dictionary
        "$-3$",  # the dictionary's first point
        "$10^{-5}$",  # the reference code's ridge constant, as its code writes it
    ],
    "adaptive/contextual.md": [],
}

ALLOWED = {**SIGMOIDAL_LINEAR_SHRINKAGE, **RECTIFIER_EXPONENTIAL_PERIODIC_SEARCHED,
           **SELF_GATED_SOFT_RECTIFIER_VECTOR, **ADAPTIVE_PIECEWISE}


def constants(text: str) -> set[str]:
    """The numbers written in the page's code cells and display math.

    >>> sorted(constants("```{code-cell} ipython3\\nx = 1.702\\n```\\n$$ 0.5x $$ 7"))
    ['0.5', '1.702']
    """
    found: set[str] = set()
    for pattern in (r"```\{code-cell\}.*?```", r"\$\$.*?\$\$"):
        for m in re.finditer(pattern, text, re.S):
            found |= set(_NUMBER.findall(m.group()))
    return found


def unexplained(text: str, allowed: list[str]) -> list[str]:
    """Typed numbers of the prose that neither the page's code nor the list explains.

    >>> page = "```{code-cell} ipython3\\nf(-3)\\n```\\nAt -3 it is 0.0474, since 2016."
    >>> [f.split(" | ")[0] for f in unexplained(page, [])]
    ['4: 0.0474']
    >>> unexplained(page, ["it is 0.0474"])
    []
    """
    phrases = [a for a in allowed if not a.startswith("$")]
    math = {a.strip("$") for a in allowed if a.startswith("$")}
    known = constants(text)
    out = []
    for finding in typed_numbers(text, phrases, math):
        number = finding.split(": ", 1)[1].split(" ", 1)[0]
        if "(a number in math)" in finding or not (number in known
                                                   or _YEAR.fullmatch(number)):
            out.append(finding)
    return out + approximations(text, math, known)


_APPROX = re.compile(r"\\approx\s*-?\s*(\d+(?:\.\d+)?)")


def approximations(text: str, allowed: set[str], known: set[str]) -> list[str]:
    r"""Decimal values typed after ``\approx`` in inline math, such as
    ``$x_0 \approx 0.659$``.

    A numeric result often hides in a formula: the root SymPy found, the minimum
    on the grid. Such a value is glued; the decimal rendering of a closed form
    shown in the same formula (``$\log 2 \approx 0.693$``) is a definition, listed
    with its whole formula in ``allowed``.

    >>> approximations("The root $x_0 \\approx 0.659$.", set(), set())
    ['1: $x_0 \\approx 0.659$ (a value typed in math)']
    >>> approximations("So $\\log 2 \\approx 0.693$.", {"\\log 2 \\approx 0.693"},
    ...                set())
    []
    """
    found = []
    inside = _code_lines(text)
    for i, line in enumerate(_outside_display_math(text)):
        if i in inside:
            continue
        for m in re.finditer(r"\$[^$\n]+\$", line):
            values = _APPROX.findall(m.group())
            if (values and m.group().strip("$") not in allowed
                    and not all(v in known for v in values)):
                found.append(f"{i + 1}: {m.group()} (a value typed in math)")
    return found


def _outside_display_math(text: str) -> list[str]:
    """The page's lines with display math (``$$ ... $$``) blanked."""
    return re.sub(r"\$\$.*?\$\$", lambda m: "\n" * m.group().count("\n"), text,
                  flags=re.S).split("\n")


@pytest.mark.parametrize("chapter", sorted(ALLOWED))
def test_no_typed_results(chapter: str) -> None:
    text = (BOOK / chapter).read_text(encoding="utf-8")
    found = unexplained(text, ALLOWED[chapter])
    assert not found, (f"{chapter}: numbers typed in the prose (glue them from the "
                       "cell that computes them, or, for a definition or a setting, "
                       "add the phrase to ALLOWED):\n" + "\n".join(found))


def test_every_chapter_is_checked() -> None:
    chapters = {p.relative_to(BOOK).as_posix() for p in BOOK.rglob("*.md")}
    assert chapters == set(ALLOWED)


def test_a_typed_minimum_is_caught() -> None:
    # gelu.md before its minimum was glued
    old = ("- **Range.** GELU is bounded below by its minimum, about $-0.17$, "
           "reached at $x \\approx -0.75$, and unbounded above.")
    assert [f.split(" | ")[0] for f in unexplained(old, [])] == [
        "1: $-0.17$ (a number in math)",
        "1: $x \\approx -0.75$ (a value typed in math)"]


# what a chapter still types: python tests/test_chapter_prose.py rectifier/relu.md
if __name__ == "__main__":
    for chapter in sys.argv[1:] or sorted(ALLOWED):
        found = unexplained((BOOK / chapter).read_text(encoding="utf-8"),
                            ALLOWED.get(chapter, []))
        print(f"{chapter}: {len(found)}")
        for f in found:
            print("   ", f[:220])

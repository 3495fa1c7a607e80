r"""The equations of one training step as LaTeX strings (for st.latex / KaTeX).

Samples are rows, so layer l computes Z^{[l]} = A^{[l-1]} W^{[l]} + b^{[l]}.
The engine folds the 1/m of the mean loss into the output delta dZ^{[L]}, so
dW^{[l]} = A^{[l-1]\top} dZ^{[l]} carries no 1/m of its own; the equations say
exactly what the engine computes.
"""

# g(Z) and g'(Z) of each activation, written as a student would.
G = {
    "sigmoid": (r"\sigma(Z^{[l]})", r"A^{[l]} \odot (1 - A^{[l]})"),
    "tanh": (r"\tanh(Z^{[l]})", r"1 - (A^{[l]})^{2}"),
    "relu": (r"\max(0,\, Z^{[l]})", r"\mathbb{1}[Z^{[l]} > 0]"),
    "leaky_relu": (r"\max(0.01\,Z^{[l]},\, Z^{[l]})", r"\mathbb{1}[Z^{[l]} > 0] + 0.01\,\mathbb{1}[Z^{[l]} \le 0]"),
    "linear": (r"Z^{[l]}", r"1"),
    "softmax": (r"\operatorname{softmax}(Z^{[l]})", None),
}

LOSS_NAMES = {"bce": "binary cross-entropy", "cross_entropy": "cross-entropy", "mse": "mean squared error"}


def _l(s, l):
    return s.replace("[l]", f"[{l}]")


def _input(l):
    return "X" if l == 1 else f"A^{{[{l - 1}]}}"


def _input_T(l):
    return r"X^{\top}" if l == 1 else sym("A", l - 1, transpose=True)


def _shape(rows, cols=None):
    return f"{rows}" if cols is None else rf"{rows}\times{cols}"


def ub(term, rows, cols=None):
    r"""\underbrace{term}_{rows×cols}: a term with its real size under it."""
    return rf"\underbrace{{{term}}}_{{{_shape(rows, cols)}}}"


def forward(l, activation):
    """Layer l's forward equations."""
    g = _l(G[activation][0], l)
    return rf"Z^{{[{l}]}} = {_input(l)}\,W^{{[{l}]}} + b^{{[{l}]}}, \qquad A^{{[{l}]}} = {g}"


def sym(name, l, transpose=False):
    """e.g. sym("W", 2, True) -> W^{[2]\\top}."""
    return name + "^{[" + str(l) + "]" + (r"\top" if transpose else "") + "}"


def forward_shapes(l, m, n_in, n_out):
    """e.g. Z¹ (32×8) = X (32×2) · W¹ (2×8) + b¹ (8), with the real sizes."""
    return (ub(sym("Z", l), m, n_out) + " = " + ub(_input(l), m, n_in) + r"\,"
            + ub(sym("W", l), n_in, n_out) + " + " + ub(sym("b", l), n_out))


def loss(name, L, k, l1=0.0, l2=0.0):
    """The batch loss for `name` on the output A^{[L]} with k outputs, plus any penalty."""
    A = f"A^{{[{L}]}}"
    if name == "bce":
        body = rf"-\frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\Big[y_i \log {A}_i + (1-y_i)\log\big(1-{A}_i\big)\Big]"
    elif name == "cross_entropy":
        body = rf"-\frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\sum_{{c=1}}^{{{k}}} Y_{{ic}} \log {A}_{{ic}}"
    elif name == "mse":
        body = rf"\frac{{1}}{{m \cdot {k}}}\sum_{{i=1}}^{{m}}\sum_{{j=1}}^{{{k}}}\big({A}_{{ij}} - Y_{{ij}}\big)^2"
    else:
        raise ValueError(f"unknown loss {name!r}; allowed: {', '.join(LOSS_NAMES)}")
    return rf"\mathcal{{L}} = {body}{penalty(l1, l2)}"


def penalty(l1, l2):
    out = ""
    if l2:
        out += rf" + \frac{{{l2:g}}}{{2}}\sum_{{l}} \lVert W^{{[l]}} \rVert^2"
    if l1:
        out += rf" + {l1:g}\sum_{{l}} \lvert W^{{[l]}} \rvert"
    return out


def output_delta(activation, loss_name, L, m, k):
    """(equation, explanation) of dZ^{[L]} for this output activation and loss."""
    A = f"A^{{[{L}]}}"
    pair = (activation, loss_name)
    if pair == ("sigmoid", "bce"):
        eq = rf"dZ^{{[{L}]}} = \frac{{1}}{{m}}\big({A} - Y\big), \quad m = {m}"
        why = ("Sigmoid with binary cross-entropy: the loss's slope −y/a + (1−y)/(1−a) "
               "times the sigmoid's slope a(1−a) cancels to a − y, so the output delta "
               "is just the error, divided by the batch size for the mean.")
    elif pair == ("softmax", "cross_entropy"):
        eq = rf"dZ^{{[{L}]}} = \frac{{1}}{{m}}\big({A} - Y\big), \quad m = {m}"
        why = ("Softmax with cross-entropy: the softmax Jacobian and −Y/A collapse to "
               "A − Y (Y one-hot), divided by the batch size for the mean.")
    elif pair == ("linear", "mse"):
        eq = rf"dZ^{{[{L}]}} = \frac{{2}}{{m \cdot {k}}}\big({A} - Y\big), \quad m = {m}"
        why = ("A linear output with mean squared error: the derivative of the mean of "
               "(A − Y)² is 2(A − Y) over the number of terms, and a linear output passes it through.")
    elif activation == "softmax":
        eq = (rf"dA^{{[{L}]}} = \frac{{\partial \mathcal{{L}}}}{{\partial {A}}}, \quad "
              rf"dZ^{{[{L}]}}_{{i}} = {A}_{{i}} \odot \big(dA^{{[{L}]}}_{{i}} - dA^{{[{L}]}}_{{i}} \cdot {A}_{{i}}\big)")
        why = ("This pair does not simplify: the chain rule goes through the full softmax "
               "Jacobian, row by row.")
    else:
        dA = _loss_derivative(loss_name, L, k)
        gp = _l(G[activation][1], L)
        eq = rf"dA^{{[{L}]}} = {dA}, \quad dZ^{{[{L}]}} = dA^{{[{L}]}} \odot \big({gp}\big)"
        why = (f"{activation} output with {LOSS_NAMES.get(loss_name, loss_name)} does not "
               "simplify: the chain rule multiplies the loss's slope by the activation's slope.")
    return eq, why


def _loss_derivative(loss_name, L, k):
    A = f"A^{{[{L}]}}"
    if loss_name == "mse":
        return rf"\frac{{2}}{{m \cdot {k}}}\big({A} - Y\big)"
    if loss_name == "bce":
        return rf"\frac{{1}}{{m}}\,\frac{{{A} - Y}}{{{A}(1 - {A})}}"
    return rf"-\frac{{1}}{{m}}\,\frac{{Y}}{{{A}}}"


def hidden_delta(l, activation):
    """dZ of hidden layer l from the layer above."""
    gp = _l(G[activation][1], l)
    return (rf"dA^{{[{l}]}} = dZ^{{[{l + 1}]}}\,W^{{[{l + 1}]\top}}, \qquad "
            rf"dZ^{{[{l}]}} = dA^{{[{l}]}} \odot \big({gp}\big)")


def hidden_delta_shapes(l, m, n_out, n_next):
    return (ub(sym("dA", l), m, n_out) + " = " + ub(sym("dZ", l + 1), m, n_next) + r"\,"
            + ub(sym("W", l + 1, transpose=True), n_next, n_out))


def gradients(l, l1=0.0, l2=0.0):
    reg = ""
    if l2:
        reg += rf" + {l2:g}\,W^{{[{l}]}}"
    if l1:
        reg += rf" + {l1:g}\,\operatorname{{sign}}(W^{{[{l}]}})"
    return (rf"dW^{{[{l}]}} = {_input_T(l)}\,dZ^{{[{l}]}}{reg}, \qquad "
            rf"db^{{[{l}]}} = \sum_{{i=1}}^{{m}} dZ^{{[{l}]}}_{{i,:}}")


def gradient_shapes(l, m, n_in, n_out):
    return (ub(sym("dW", l), n_in, n_out) + " = " + ub(_input_T(l), n_in, m) + r"\,"
            + ub(sym("dZ", l), m, n_out) + r", \qquad " + ub(sym("db", l), n_out))


def update(optimizer, lr, momentum=0.9, nesterov=False):
    """The optimizer's rule for every parameter θ (each W and b) with gradient dθ."""
    eta = rf"\eta = {lr:g}"
    if optimizer == "sgd":
        return rf"\theta \leftarrow \theta - \eta\, d\theta, \qquad {eta}"
    if optimizer == "momentum":
        if nesterov:
            return (rf"v \leftarrow {momentum:g}\,v + d\theta, \qquad "
                    rf"\theta \leftarrow \theta - \eta\,(d\theta + {momentum:g}\,v), \qquad {eta}")
        return rf"v \leftarrow {momentum:g}\,v + d\theta, \qquad \theta \leftarrow \theta - \eta\, v, \qquad {eta}"
    if optimizer == "adam":
        return (r"m \leftarrow \beta_1 m + (1-\beta_1)\,d\theta, \quad "
                r"v \leftarrow \beta_2 v + (1-\beta_2)\,d\theta^{2}, \quad "
                r"\theta \leftarrow \theta - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}, \qquad "
                + eta)
    raise ValueError(f"unknown optimizer {optimizer!r}; allowed: sgd, momentum, adam")

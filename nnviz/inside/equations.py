r"""The equations of one training step as LaTeX strings (for st.latex / KaTeX).

Samples are rows, so layer l computes Z^{[l]} = A^{[l-1]} W^{[l]} + b^{[l]}.
The engine folds the 1/m of the mean loss into the output delta dZ^{[L]}, so
dW^{[l]} = A^{[l-1]\top} dZ^{[l]} carries no 1/m of its own; the equations say
exactly what the engine computes.

Every formula of an activation, a loss or an optimizer comes from the engine's
tables (`ACTIVATIONS[name].tex`, `LOSSES[name].tex`, `opt.tex()`); this module
puts the layer on their symbols and lays the step out.
"""

import re

from nnviz.engine.activations import ACTIVATIONS
from nnviz.engine.losses import LOSSES, fused
from nnviz.engine.optimizers import make

# A symbol of the tables' formulas that takes the layer or a size: Z, A or k standing
# alone (not inside a command such as \max, nor part of a longer name). Y and m stay.
_SYMBOL = re.compile(r"(?<![A-Za-z\\])([ZAk])(?![A-Za-z])")


def _at(tex, l, k=None):
    """The table's `tex` with Z, A of layer l (Z -> Z^{[l]}) and k, when given, its
    value; a symbol raised to a power gets braces ({A^{[2]}}^{2})."""
    def put(match):
        s = match.group(1)
        if s == "k":
            return "k" if k is None else str(k)
        term = f"{s}^{{[{l}]}}"
        follows = match.string[match.end():match.end() + 1]
        return "{" + term + "}" if follows == "^" else term
    return _SYMBOL.sub(put, tex)


def _input(l):
    return "X" if l == 1 else f"A^{{[{l - 1}]}}"


def _input_T(l):
    return r"X^{\top}" if l == 1 else sym("A", l - 1, transpose=True)


def _shape(rows, cols=None):
    return f"{rows}" if cols is None else rf"{rows}\times{cols}"


def ub(term, rows, cols=None):
    r"""\underbrace{term}_{rows×cols}: a term with its real size under it."""
    return rf"\underbrace{{{term}}}_{{{_shape(rows, cols)}}}"


def sym(name, l, transpose=False):
    """e.g. sym("W", 2, True) -> W^{[2]\\top}."""
    return name + "^{[" + str(l) + "]" + (r"\top" if transpose else "") + "}"


def forward(l, activation):
    """Layer l's forward equations."""
    g = _at(ACTIVATIONS[activation].tex, l)
    return rf"Z^{{[{l}]}} = {_input(l)}\,W^{{[{l}]}} + b^{{[{l}]}}, \qquad A^{{[{l}]}} = {g}"


def forward_shapes(l, m, n_in, n_out):
    """e.g. Z¹ (32×8) = X (32×2) · W¹ (2×8) + b¹ (8), with the real sizes."""
    return (ub(sym("Z", l), m, n_out) + " = " + ub(_input(l), m, n_in) + r"\,"
            + ub(sym("W", l), n_in, n_out) + " + " + ub(sym("b", l), n_out))


def _loss_entry(name):
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; allowed: {', '.join(LOSSES)}")
    return LOSSES[name]


def loss(name, L, k, l1=0.0, l2=0.0):
    """The batch loss for `name` on the output A^{[L]} with k outputs, plus any penalty."""
    return rf"\mathcal{{L}} = {_at(_loss_entry(name).tex, L, k)}{penalty(l1, l2)}"


def penalty(l1, l2):
    out = ""
    if l2:
        out += rf" + \frac{{{l2:g}}}{{2}}\sum_{{l}} \lVert W^{{[l]}} \rVert^2"
    if l1:
        out += rf" + {l1:g}\sum_{{l}} \lvert W^{{[l]}} \rvert"
    return out


def output_delta(activation, loss_name, L, m, k):
    """(equation, explanation) of dZ^{[L]} for this output activation and loss."""
    entry = _loss_entry(loss_name)
    dZ, mean = f"dZ^{{[{L}]}}", r"\frac{1}{m}"
    pair = fused(activation, loss_name)
    if pair is not None:
        eq = rf"{dZ} = {mean}\,{_at(pair.tex, L, k)}, \quad m = {m}"
        return eq, pair.why + " It is divided by the batch size for the mean."
    dA = rf"dA^{{[{L}]}} = {mean}\,{_at(entry.tex_delta, L, k)}"
    tex_df = ACTIVATIONS[activation].tex_df
    if tex_df is None:      # softmax: its Jacobian, one row (sample) at a time
        A = f"A^{{[{L}]}}"
        eq = (rf"{dA}, \quad {dZ}_{{i}} = {A}_{{i}} \odot \big(dA^{{[{L}]}}_{{i}} - "
              rf"dA^{{[{L}]}}_{{i}} \cdot {A}_{{i}}\big), \quad m = {m}")
        why = (f"{activation} output with {entry.title} does not simplify: the chain rule "
               "goes through the full softmax Jacobian, row by row.")
    else:
        eq = (rf"{dA}, \quad {dZ} = dA^{{[{L}]}} \odot \big({_at(tex_df, L)}\big), "
              rf"\quad m = {m}")
        why = (f"{activation} output with {entry.title} does not simplify: the chain rule "
               "multiplies the loss's slope by the activation's slope.")
    return eq, why


def hidden_delta(l, activation):
    """dZ of hidden layer l from the layer above."""
    gp = _at(ACTIVATIONS[activation].tex_df, l)
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
    settings = dict(momentum=momentum, nesterov=nesterov) if optimizer == "momentum" else {}
    return make(optimizer, lr, **settings).tex()

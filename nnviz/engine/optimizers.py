"""Optimizers: update `net.flat_params` in place from `net.flat_grads`.

    opt = make("adam", lr=0.01)
    loss, grads = net.loss_and_grads(X, y, loss="bce")
    opt.step(net)

Each works on the whole flat buffer in a few NumPy calls, so the (W, b) views in
`net.params` change with it. `opt.lr` may be changed at any time; nothing else resets.
State (velocity, moments, step count) is made on the first step for that net's size
and kept until `reset()`.
"""

import numpy as np


def _check_lr(lr):
    if not (isinstance(lr, (int, float, np.floating, np.integer)) and 0 < lr < float("inf")):
        raise ValueError(f"lr must be a finite number > 0, got {lr!r}")
    return float(lr)


class SGD:
    """p <- p - lr * g"""

    def __init__(self, lr=0.01):
        self.lr = lr
        self._tmp = None

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _check_lr(value)

    def reset(self):
        self._tmp = None

    def _state(self, p):
        if self._tmp is None or self._tmp.shape != p.shape or self._tmp.dtype != p.dtype:
            self.reset()
            self._init(p)
        return self._tmp

    def _init(self, p):
        self._tmp = np.empty_like(p)

    def step(self, net):
        p, g = net.flat_params, net.flat_grads
        tmp = self._state(p)
        np.multiply(g, self.lr, out=tmp)
        np.subtract(p, tmp, out=p)


class Momentum(SGD):
    """v <- mu v + g;  p <- p - lr v  (nesterov: p <- p - lr (g + mu v)).

    The velocity holds no learning rate, so changing lr takes effect at once.
    """

    def __init__(self, lr=0.01, momentum=0.9, nesterov=False):
        super().__init__(lr)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = None

    def reset(self):
        self._tmp = None
        self.velocity = None

    def _init(self, p):
        self._tmp = np.empty_like(p)
        self.velocity = np.zeros_like(p)

    def step(self, net):
        p, g = net.flat_params, net.flat_grads
        tmp = self._state(p)
        v = self.velocity
        np.multiply(v, self.momentum, out=v)
        np.add(v, g, out=v)
        if self.nesterov:
            np.multiply(v, self.momentum, out=tmp)
            np.add(tmp, g, out=tmp)
            np.multiply(tmp, self.lr, out=tmp)
        else:
            np.multiply(v, self.lr, out=tmp)
        np.subtract(p, tmp, out=p)


class Adam(SGD):
    """Kingma & Ba (2015): bias-corrected moments, p <- p - lr m^ / (sqrt(v^) + eps)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.m = self.v = None
        self.t = 0

    def reset(self):
        self._tmp = self.m = self.v = None
        self.t = 0

    def _init(self, p):
        self._tmp = np.empty_like(p)
        self._tmp2 = np.empty_like(p)
        self.m = np.zeros_like(p)
        self.v = np.zeros_like(p)
        self.t = 0

    def step(self, net):
        p, g = net.flat_params, net.flat_grads
        tmp = self._state(p)
        tmp2, m, v, b1, b2 = self._tmp2, self.m, self.v, self.beta1, self.beta2
        self.t += 1
        # m <- b1 m + (1 - b1) g, as m += (1 - b1)(g - m); likewise v with g².
        np.subtract(g, m, out=tmp)
        np.multiply(tmp, 1.0 - b1, out=tmp)
        np.add(m, tmp, out=m)
        np.multiply(g, g, out=tmp)
        np.subtract(tmp, v, out=tmp)
        np.multiply(tmp, 1.0 - b2, out=tmp)
        np.add(v, tmp, out=v)
        # p -= lr_t m / (sqrt(v) + eps_t), with the bias corrections folded into lr_t, eps_t.
        c2 = np.sqrt(1.0 - b2 ** self.t)
        lr_t = self.lr * c2 / (1.0 - b1 ** self.t)
        np.sqrt(v, out=tmp)
        np.add(tmp, self.eps * c2, out=tmp)
        np.divide(m, tmp, out=tmp2)
        np.multiply(tmp2, lr_t, out=tmp2)
        np.subtract(p, tmp2, out=p)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make(name, lr, **settings):
    """OPTIMIZERS[name](lr=lr, **settings), with a clear error for an unknown name."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; allowed: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](lr=lr, **settings)

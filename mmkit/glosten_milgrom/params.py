"""Parameters of the Glosten-Milgrom market after a shock, and their validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mmkit.common.validation import check_positive, check_real, check_real_array

__all__ = ["GMParams"]


@dataclass(frozen=True)
class GMParams:
    """Parameters of the shocked Glosten-Milgrom market.

    Parameters
    ----------
    sigma_eps : float
        Standard deviation of the traders' private noise, :math:`w_t = V + \\varepsilon_t`. > 0.
    gamma : float
        Discount factor of the market maker, in (0, 1).
    noise_share : float
        Probability that a trader is uninformed (then buys, sells or holds with probability 1/3
        each, whatever the quotes). In [0, 1). Das & Magdon-Ismail use 0; the closed-form
        Gaussian market makers and the DP require 0.
    """

    sigma_eps: float = 1.0
    gamma: float = 0.9
    noise_share: float = 0.0

    def __post_init__(self) -> None:
        check_positive(self.sigma_eps, "sigma_eps")
        check_real(self.gamma, "gamma", 0.0, 1.0, lo_open=True, hi_open=True)
        check_real(self.noise_share, "noise_share", 0.0, 1.0, hi_open=True)

    def require_no_noise(self, what: str) -> None:
        if self.noise_share != 0.0:
            raise ValueError(
                f"noise_share must be 0 for {what} (the closed forms of Das & Magdon-Ismail "
                f"assume every trader is noisily informed), got {self.noise_share}"
            )


def check_params(params: object) -> GMParams:
    """``params`` must be a :class:`GMParams` (``TypeError`` otherwise)."""
    if not isinstance(params, GMParams):
        raise TypeError(f"params must be a GMParams, got {type(params).__name__}")
    return params


def _check_rho(rho) -> np.ndarray:
    """rho = sigma / sigma_eps: a finite number (or array) >= 0."""
    return check_real_array(rho, "rho", 0.0)


def _check_q(q) -> np.ndarray:
    """Normalised half-spread q: a finite number (or array) >= 0 (symmetric quotes, bid <= ask)."""
    return check_real_array(q, "q", 0.0)

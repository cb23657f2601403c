"""Parameters of the Glosten-Milgrom market after a shock, and their validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
        if not (np.isfinite(self.sigma_eps) and self.sigma_eps > 0):
            raise ValueError(f"sigma_eps must be > 0, got {self.sigma_eps}")
        if not (0.0 < self.gamma < 1.0):
            raise ValueError(f"gamma must be in (0, 1), got {self.gamma}")
        if not (0.0 <= self.noise_share < 1.0):
            raise ValueError(f"noise_share must be in [0, 1), got {self.noise_share}")

    def require_no_noise(self, what: str) -> None:
        if self.noise_share != 0.0:
            raise ValueError(
                f"noise_share must be 0 for {what} (the closed forms of Das & Magdon-Ismail "
                f"assume every trader is noisily informed), got {self.noise_share}"
            )


def _check_rho(rho) -> np.ndarray:
    r = np.asarray(rho, dtype=float)
    if np.any(~np.isfinite(r)) or np.any(r < 0):
        raise ValueError(f"rho must be >= 0 and finite, got {rho}")
    return r


def _check_q(q) -> np.ndarray:
    qq = np.asarray(q, dtype=float)
    if np.any(np.isnan(qq)) or np.any(qq < 0):
        raise ValueError(f"q must be >= 0 (symmetric quotes, bid <= ask), got {q}")
    return qq

"""Quoting rules: callables ``rule(mu, sigma) -> (bid, ask)`` on arrays of Gaussian belief states."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from mmkit.common.validation import check_positive
from mmkit.glosten_milgrom.dp import DPSolution
from mmkit.glosten_milgrom.gaussian import half_spread
from mmkit.glosten_milgrom.params import GMParams, check_params
from mmkit.glosten_milgrom.quotes import q_myopic, q_zero_profit

__all__ = ["QuotingRule", "SymmetricRule", "myopic_rule", "optimal_rule", "zero_profit_rule"]


class QuotingRule(Protocol):
    """Any callable mapping Gaussian belief states (arrays) to (bid, ask) arrays."""

    def __call__(self, mu: np.ndarray, sigma: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass
class SymmetricRule:
    """Quotes mu +- q(rho) sigma_eps sqrt(1 + rho^2) with rho = sigma / sigma_eps.

    Parameters
    ----------
    q_of_rho : callable
        Vectorised map rho -> q (e.g. :func:`q_zero_profit`, :func:`q_myopic`, ``sol.q``).
    sigma_eps : float
    name : str
    """

    q_of_rho: Callable[[np.ndarray], np.ndarray]
    sigma_eps: float = 1.0
    name: str = "symmetric"

    def __post_init__(self) -> None:
        if not callable(self.q_of_rho):
            raise TypeError(f"q_of_rho must be a callable rho -> q, got {type(self.q_of_rho).__name__}")
        check_positive(self.sigma_eps, "sigma_eps")
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str, got {type(self.name).__name__}")

    def __call__(self, mu, sigma):
        rho = np.asarray(sigma, dtype=float) / self.sigma_eps
        d = half_spread(rho, self.q_of_rho(rho), self.sigma_eps)
        return mu - d, mu + d


def zero_profit_rule(params: GMParams = GMParams()) -> SymmetricRule:
    """Competitive (zero expected profit per side) market maker for Gaussian beliefs."""
    check_params(params).require_no_noise("the zero-profit rule")
    return SymmetricRule(q_zero_profit, params.sigma_eps, "Zero profit")


def myopic_rule(params: GMParams = GMParams()) -> SymmetricRule:
    """Myopic market maker: maximises the next trade's expected profit."""
    check_params(params).require_no_noise("the myopic rule")
    return SymmetricRule(q_myopic, params.sigma_eps, "Myopic")


def optimal_rule(solution: DPSolution) -> SymmetricRule:
    """Optimal market maker from a DP solution (q*(rho) interpolated on its grid)."""
    if not isinstance(solution, DPSolution):
        raise TypeError(f"solution must be a DPSolution (from solve_dp), got {type(solution).__name__}")
    return SymmetricRule(solution.q, solution.params.sigma_eps, "Optimal")

"""Shared numerics used by every model family: log-sum-exp, root finding, Markov chains, finite MDPs.

Nothing here knows about a particular market; the model families build on it.
"""

from mmkit.common import mdp
from mmkit.common.markov import stationary_distribution, validate_transition
from mmkit.common.numerics import logsumexp, safeguarded_newton

__all__ = ["mdp", "stationary_distribution", "validate_transition", "logsumexp", "safeguarded_newton"]

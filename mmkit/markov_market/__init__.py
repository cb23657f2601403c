"""A Markovian market for computing-power futures (Martinez, Harrison and Harder).

- :mod:`mmkit.markov_market.pressure`: agent chains, the market-pressure chain M, the price path
  and the trading MDP built on M;
- :mod:`mmkit.markov_market.p2p`: a peer-to-peer market in which agents see pressure by gossip.

``from mmkit import markov_market as mm`` gives the names of :mod:`~mmkit.markov_market.pressure`.
"""

from mmkit.markov_market import p2p
from mmkit.markov_market.pressure import *  # noqa: F403 - the family's public face
from mmkit.markov_market.pressure import __all__ as _pressure_all

__all__ = ["p2p", *_pressure_all]

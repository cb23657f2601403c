"""Cross-family studies: experiments that combine several model families.

They sit above the families (and below the book): a model family never imports from here.
"""

from mmkit.experiments.kinathil_vs_das import (
    ShockedMarketConfig,
    kinathil_model,
    kinathil_mpc_vs_das,
    kinathil_vs_das,
)

__all__ = ["ShockedMarketConfig", "kinathil_vs_das", "kinathil_mpc_vs_das", "kinathil_model"]

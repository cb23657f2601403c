"""mmkit's benchmark suite: each routine beside its peer or limit, in CPU time (``python -m benchmarks``)."""

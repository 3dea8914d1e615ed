"""Fall detection on the edge: the numba detector, its evaluation on SisFall, benchmarks."""

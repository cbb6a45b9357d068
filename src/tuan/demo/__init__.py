"""The demo community: a believable, reproducible set of people (and, as the domains grow, their
groups, shops, shares, purchases and reviews). The same generator, with a size, feeds benchmarks."""

"""Distributions that are not plain registry wheels (sdists, local directories, direct URLs, git
checkouts, editables): turning each into core metadata or a wheel, cached."""

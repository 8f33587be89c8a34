"""The computations behind the foundation and guide pages of the book: each module
serves one page (why nonlinearity, backpropagation, floating point, output layers,
initialisation, the comparison table), so the page itself stays prose with short
calls."""

# %% [markdown]
# # LMSR
# Test {cite}`pennock2006`.

# %%
import numpy as np
from mmkit.plotting import subplots, print_curve
from mmkit.ledger import Ledger
led = Ledger("pennock2006")
led.compare("worked-example", "x", paper=5.12, ours=5.1249, atol=0.005)
led.show()

# %% mystnb={"figure": {"caption": "Rebuilds nothing, {cite}`das2008`.", "name": "fig-test"}}
fig, ax = subplots()
x = np.linspace(0, 1, 11)
ax.plot(x, x**2); ax.set_xlabel("q (shares)"); ax.set_ylabel("p")
print_curve("p", x, x**2)

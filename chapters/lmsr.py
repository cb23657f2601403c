# %% [markdown]
# # Hanson's market maker (LMSR)
#
# {cite:t}`pennock2006` explains how Hanson's logarithmic market scoring rule
# {cite}`hanson2003,hanson2007` works as an ordinary market maker: traders buy and sell
# shares, and a single *cost function* prices every trade. This chapter rebuilds every worked
# number of the post beside the post's printed value, checks the two facts the post states
# without proof (the worst-case loss is $b \ln n$; the price is the derivative of the cost), works
# out the limit order the post mentions in closed form, and goes beyond the post: the quadratic
# scoring rule market maker {cite}`chen2007` it calls "not very interesting", the
# liquidity-sensitive LMSR of {cite:t}`othman2010,othman2013`, and a simulated market of traders
# with noisy private beliefs.
#
# The models live in {mod}`mmkit.cost_function.scoring_rules` and {mod}`mmkit.cost_function.prediction_market`; this
# notebook only calls them. The post's formulas were images lost in the text extraction; they are
# recovered in the source spec (Part C) and are the textbook LMSR.
#
# ## The cost function
#
# With $q_i$ the number of shares of outcome $i$ outstanding (a share pays \$1 if its outcome
# occurs), the market maker keeps
#
# $$ C(q) = b \ln \sum_{i=1}^n e^{q_i/b}, \qquad p_i(q) = \frac{\partial C}{\partial q_i} = \frac{e^{q_i/b}}{\sum_j e^{q_j/b}} . $$
#
# A trade that moves the outstanding shares from $q$ to $q^*$ costs $C(q^*) - C(q)$; a negative
# cost is a payment to the trader. The prices are a softmax and sum to one. Both are computed in
# log-sum-exp form, so nothing overflows even when $q/b$ is a million, where the naive formula
# $e^{q/b}$ is infinite in floating point.

# %%
import numpy as np
import matplotlib.pyplot as plt

from mmkit.book.ledger import Ledger
from mmkit.book.plotting import print_curve, print_table, subplots
from mmkit.cost_function.scoring_rules import LMSR, LSLMSR, QuadraticMSR, price_impact, unit
from mmkit.cost_function.prediction_market import TraderConfig, draw_beliefs, simulate_belief_traders

led = Ledger("pennock2006")
mm = LMSR(b=100.0)

q_huge = np.array([1e8, 0.0])          # q / b = 1e6
with np.errstate(over="ignore"):
    naive = 100.0 * np.log(np.exp(q_huge / 100.0).sum())
print("naive C(q) with q/b = 1e6:", naive)
print("stable C(q):              ", mm.cost(q_huge))
print("stable prices:            ", mm.prices(q_huge).round(6).tolist())
print("cost of 10 more shares of the certain outcome: ", round(mm.buy(q_huge, 0, 10.0), 6))
print("cost of 10 shares of the impossible outcome:   ", round(mm.buy(q_huge, 1, 10.0), 6))

# %% [markdown]
# ## The post's worked example
#
# With $b = 100$ and an empty market, a trader buys 10 shares of outcome 1. Later, at
# $q = (50, 10)$, she sells them back. The post prints the sale proceeds (\$5.87) and the
# round-trip profit (\$0.75); its purchase price was lost in the extraction, and the spec infers
# \$5.12 from $5.87 - 0.75$. The post's numbers are in cents, so the tolerance is half a cent.

# %%
PAPER = {  # printed in the post (reference values only)
    "buy 10 at (0,0)": 5.12,          # lost in extraction; 5.87 - 0.75 (spec C.1)
    "sell 10 at (50,10)": 5.87,
    "round-trip profit": 0.75,
    "worst-case loss, n = 2": "b ln 2",
}

buy = mm.trade_cost([0, 0], [10, 0])
sale = -mm.trade_cost([50, 10], [40, 10])
print(f"C(0,0)   = {mm.cost([0, 0]):.4f}    C(10,0)  = {mm.cost([10, 0]):.4f}")
print(f"C(50,10) = {mm.cost([50, 10]):.4f}   C(40,10) = {mm.cost([40, 10]):.4f}")
print(f"buy 10 shares at (0,0):    pays     {buy:.4f}  (average price {buy / 10:.4f})")
print(f"sell 10 shares at (50,10): receives {sale:.4f}")
print(f"round trip, exact:         {sale - buy:.4f}")
print(f"round trip, cent-rounded legs: {round(sale, 2):.2f} - {round(buy, 2):.2f} = {round(sale, 2) - round(buy, 2):.2f}")

led.compare("worked-example", "buy 10 shares at q=(0,0), cost ($)", paper=PAPER["buy 10 at (0,0)"],
            ours=buy, atol=0.005, reference="derived")  # lost in extraction: 5.87 - 0.75
led.compare("worked-example", "sell 10 shares at q=(50,10), proceeds ($)", paper=PAPER["sell 10 at (50,10)"],
            ours=sale, atol=0.005)
led.compare("worked-example", "round-trip profit, exact ($)", paper=PAPER["round-trip profit"],
            ours=sale - buy, atol=0.005,
            reason="the exact profit is 0.7411; the post's 0.75 is the difference of the cent-rounded "
                   "legs 5.87 - 5.12, a rounding artefact (next row)")
led.compare("worked-example", "round-trip profit from cent-rounded legs ($)", paper=PAPER["round-trip profit"],
            ours=round(sale, 2) - round(buy, 2), atol=0.005)
led.show("worked-example")

# %% [markdown]
# The exact round trip is \$0.7411, not \$0.75: the post subtracted legs already rounded to
# cents. Nothing in the market maker is off; it is an arithmetic shortcut, and it is why the
# ledger marks the exact profit *close* rather than *reproduced*.
#
# ## Prices: the derivative of the cost, valid only for an infinitesimal trade
#
# The post says the price applies "only for buying a miniscule (infinitesimal, in fact) number of
# shares", and that the cost of $k$ shares is the integral of the price from $q_1$ to $q_1 + k$.
# Both are checked numerically below: a central finite difference of $C$ against the softmax, and
# adaptive quadrature of $p_1$ against the closed-form cost
# $b \ln\bigl(1 - p_1 + p_1 e^{k/b}\bigr)$.

# %%
from scipy.integrate import quad

grid = np.array([[q1, q2] for q1 in (-200, -50, 0, 10, 50, 300) for q2 in (-100, 0, 10, 250)], float)
h = 1e-4
fd = np.array([(mm.cost(q + unit(2, 0, h)) - mm.cost(q - unit(2, 0, h))) / (2 * h) for q in grid])
err_deriv = float(np.max(np.abs(fd - mm.prices(grid)[:, 0])))
integral = np.array([quad(lambda x: mm.prices(q + unit(2, 0, x))[0], 0, k, epsabs=1e-12)[0]
                     for q in grid for k in (1.0, 10.0, 100.0)])
closed = np.array([mm.buy(q, 0, k) for q in grid for k in (1.0, 10.0, 100.0)])
err_integral = float(np.max(np.abs(integral - closed)))
print(f"max |dC/dq1 - p1| over {len(grid)} states < 1e-8:", err_deriv < 1e-8)
print("max |integral of p1 - C(q+k e1) + C(q)| (k = 1, 10, 100) < 1e-10:", err_integral < 1e-10)
print("prices sum to 1 within 1e-12:", bool(np.max(np.abs(mm.prices(grid).sum(axis=1) - 1)) < 1e-12))
print(f"at (0,0): quoted price {mm.prices([0, 0])[0]:.4f}, average price of 10 shares {buy / 10:.4f}, "
      f"price after the purchase {mm.prices([10, 0])[0]:.4f}")

led.compare("price-is-derivative", "max |dC/dq1 - p1| over a grid of states (7 d.p.)", paper=0.0,
            ours=round(err_deriv, 7), atol=1e-7)
led.compare("price-is-derivative", "max |integral of p1 - trade cost| over a grid (10 d.p.)", paper=0.0,
            ours=round(err_integral, 10), atol=1e-10)
led.qualitative("prices", "prices sum to 1 and the quoted price holds only for an infinitesimal trade",
                paper="price applies only to a miniscule number of shares; buying pushes it up",
                ours=f"sum of prices = 1 within 1e-12 at {len(grid)} states; "
                     f"10 shares at (0,0) average {buy / 10:.4f} > quoted 0.5000",
                holds=bool(buy / 10 > mm.prices([0, 0])[0] and np.allclose(mm.prices(grid).sum(axis=1), 1)))
led.show("price-is-derivative")

# %% [markdown]
# ### Price and cost curves
#
# The price of outcome 1 is a logistic function of $q_1 - q_2$ with slope $1/(4b)$ at zero, and
# the cost of buying $k$ shares is convex in $k$: its chord (average price) lies above the tangent
# at zero (the quoted price). A larger $b$ flattens both: more depth, slower learning.

# %% mystnb={"figure": {"caption": "Price of outcome 1 against the share imbalance, and the cost of buying k shares from an empty market with the quoted-price tangent, for b = 10, 100, 1000 (the post describes these curves; it has no figures).", "name": "fig-lmsr-curves"}}
fig, (ax1, ax2) = subplots(1, 2)
d = np.linspace(-500, 500, 401)
k = np.linspace(0, 300, 301)
for b in (10.0, 100.0, 1000.0):
    m = LMSR(b)
    p1 = m.prices(np.stack([d, np.zeros_like(d)], axis=1))[:, 0]
    ax1.plot(d, p1, label=f"b = {b:g}")
    cost_k = m.trade_cost(np.zeros((k.size, 2)), np.stack([k, np.zeros_like(k)], axis=1))
    ax2.plot(k, cost_k, label=f"b = {b:g}")
    print_curve(f"p1 vs q1-q2, b={b:g}", d, p1, points=5, xdigits=0)
    print_curve(f"cost of k shares, b={b:g}", k, cost_k, points=4, xdigits=0, digits=3)
ax2.plot(k, 0.5 * k, "k--", lw=1, label="tangent: quoted price 0.5")
ax1.set(xlabel="share imbalance $q_1 - q_2$ (shares)", ylabel="price of outcome 1 ($ per share)",
        title="Price is a logistic curve")
ax2.set(xlabel="shares of outcome 1 bought, k (shares)", ylabel="cost C(k, 0) - C(0, 0) ($)",
        title="Cost is convex: chord above tangent")
ax1.legend(); ax2.legend()
plt.show()

# %% [markdown]
# ## The worst-case loss $b \ln n$
#
# The post states that $b$ bounds the market maker's loss at $b \ln 2$ for two outcomes. The loss
# is largest when the market starts uniform and traders drive the price of the realised outcome to
# one: buying $Q$ shares of outcome 1 from an empty market and outcome 1 occurring, the market
# maker pays $Q$ and has collected $C(Q,0) - C(0,0)$.

# %%
Qs = np.array([100.0, 500.0, 1e3, 1e4, 1e6])
losses = [mm.loss([0, 0], [Q, 0], outcome=0) for Q in Qs]
for Q, L in zip(Qs, losses):
    print(f"Q = {Q:>9.0f}: loss {L:.4f}")
print(f"b ln 2 = {mm.worst_case_loss(2):.4f}")
print("b ln n for n = 2, 3, 4, 10:", [round(mm.worst_case_loss(n), 4) for n in (2, 3, 4, 10)])
# n outcomes: drive one outcome's price to 1 from the uniform start
for n in (3, 4, 10):
    big = unit(n, 0, 1e5)
    print(f"n = {n:>2}: loss after buying 1e5 shares of outcome 1 = {mm.loss(np.zeros(n), big, 0):.4f}")

led.compare("worst-case-loss", "limit of the loss as Q -> inf, n = 2, b = 100 (paper: b ln 2)",
            paper=100 * np.log(2), ours=losses[-1], atol=1e-4)
led.qualitative("worst-case-loss", "no trade sequence loses more than b ln n (n = 2..10)",
                paper="the market maker can lose at most b ln 2 (two outcomes); larger b, larger loss",
                ours="checked on random trade sequences in tests/test_scoring_rules.py (hypothesis) and "
                     "the approach to the bound above",
                holds=all(mm.loss(np.zeros(n), unit(n, 0, 1e5), 0) <= mm.worst_case_loss(n) + 1e-9
                          for n in (2, 3, 4, 10)))
led.show("worst-case-loss")

# %% mystnb={"figure": {"caption": "The worst-case loss the post states (it has no figure): the market maker's loss when Q shares of the realised outcome are bought from an empty market approaches b ln 2 (left); the bound b ln n grows slowly with the number of outcomes (right). b = 100.", "name": "fig-lmsr-loss"}}
fig, (ax1, ax2) = subplots(1, 2)
Qg = np.geomspace(1, 1e4, 200)
Lg = np.array([mm.loss([0, 0], [Q, 0], 0) for Q in Qg])
ax1.semilogx(Qg, Lg, label="loss after buying Q of outcome 1")
ax1.axhline(mm.worst_case_loss(2), color="k", ls="--", lw=1, label="b ln 2")
ax1.set(xlabel="shares bought, Q (shares)", ylabel="market maker's loss ($)")
ax1.legend()
ns = np.arange(2, 21)
ax2.plot(ns, [mm.worst_case_loss(int(n)) for n in ns], "o-", ms=3)
ax2.set(xlabel="number of outcomes, n", ylabel="worst-case loss b ln n ($)")
print_curve("loss vs Q", Qg, Lg, points=5, xdigits=1)
print_curve("b ln n vs n", ns, [mm.worst_case_loss(int(n)) for n in ns], points=5, xdigits=0)
plt.show()

# %% [markdown]
# ## Depth: the price impact of a trade against $b$
#
# $b$ is the market's depth. The impact of buying $k$ shares from an even market is
# $\sigma(k/b) - 1/2$ (with $\sigma$ the logistic function), so it falls like $k/(4b)$ for large
# $b$, while the worst-case loss grows like $b$: the market designer trades loss against liquidity.

# %% mystnb={"figure": {"caption": "Price impact of buying k shares from an even two-outcome LMSR market against the liquidity parameter b (the post's depth trade-off; the post has no figure).", "name": "fig-lmsr-impact"}}
fig, ax = subplots()
bs = np.geomspace(1, 1e4, 120)
for kk in (1.0, 10.0, 100.0):
    imp = np.array([price_impact(LMSR(b), [0, 0], 0, kk) for b in bs])
    ax.loglog(bs, imp, label=f"k = {kk:g} shares")
    print_curve(f"impact of k={kk:g} vs b", bs, imp, points=5, xdigits=1)
ax.set(xlabel="liquidity parameter b ($)", ylabel="price impact ($ per share)")
ax.legend()
plt.show()

# %% [markdown]
# ## Limit orders in closed form
#
# The post mentions orders such as "buy up to 100 shares of outcome 1, each at price less than
# or equal to \$0.80". Because the LMSR price is monotone in $q_i$, such an order fills exactly
# until the marginal price reaches the limit $p$: solving $p_i(q + x e_i) = p$ gives
#
# $$ x^* = b\Bigl[\ln\tfrac{p}{1-p} + \ln \textstyle\sum_{j \ne i} e^{q_j/b}\Bigr] - q_i, \qquad
#    \text{fill} = \min\bigl(\max(x^*, 0), k\bigr). $$
#
# The closed form is checked against Brent root finding on the price (the generic method of
# {class}`mmkit.cost_function.scoring_rules.CostFunctionMarketMaker`).

# %%
from mmkit.cost_function.scoring_rules import CostFunctionMarketMaker

order = mm.limit_buy([0, 0], outcome=0, max_shares=100, price=0.80)
print(f"buy up to 100 at <= 0.80 from (0,0): fills {order.shares:.2f} shares for ${order.cost:.4f} "
      f"(average {order.average_price:.4f}), final price {order.final_price:.4f}")
order2 = mm.limit_buy([50, 10], outcome=0, max_shares=100, price=0.65)
print(f"buy up to 100 at <= 0.65 from (50,10): fills {order2.shares:.4f} shares for ${order2.cost:.4f}, "
      f"final price {order2.final_price:.4f}")
rng = np.random.default_rng(7)
errs = []
for _ in range(200):
    n = int(rng.integers(2, 6))
    q = rng.normal(0, 200, n)
    p = float(rng.uniform(0.02, 0.98))
    i = int(rng.integers(n))
    errs.append(abs(mm.max_shares_at_price(q, i, p) - CostFunctionMarketMaker.max_shares_at_price(mm, q, i, p)))
print("closed form vs root finding, 200 random orders: max |diff| < 1e-8 shares:", max(errs) < 1e-8)

# %% [markdown]
# ## Beyond the post: the quadratic scoring rule market maker
#
# The post says Chen and Pennock derived the cost function of the quadratic scoring rule and that
# it "is not very interesting or useful in practice". Its cost function {cite}`chen2007`
#
# $$ C(q) = \frac{\sum_j q_j}{n} + \frac{\sum_j q_j^2}{4b} - \frac{(\sum_j q_j)^2}{4bn} - \frac bn,\qquad
#    p_i = \frac1n + \frac{q_i - \bar q}{2b} $$
#
# gives prices *linear* in the shares, so they leave $[0, 1]$ once $|q_1 - q_2| > 2b$: beyond that
# point the formula would sell shares at negative prices, and trades must be truncated. Its
# worst-case loss is $b(1 - 1/n)$. On the post's example, with $b = 100$:

# %%
qm = QuadraticMSR(b=100.0)
qbuy = qm.trade_cost([0, 0], [10, 0])
qsale = -qm.trade_cost([50, 10], [40, 10])
print(f"quadratic: buy 10 at (0,0) {qbuy:.4f}, sell 10 at (50,10) {qsale:.4f}, round trip {qsale - qbuy:.4f}")
print(f"quadratic prices at (10,0) {qm.prices([10, 0]).round(4).tolist()}, at (50,10) {qm.prices([50, 10]).round(4).tolist()}")
print(f"valid region: |q1 - q2| <= 2b = {2 * qm.b:.0f};  prices at (250, 0): {qm.prices([250, 0]).round(4).tolist()}")
clipped = qm.clip_trade([0, 0], [500, 0])
print(f"a 500-share buy from (0,0) is truncated to {clipped[0]:.1f} shares (price of outcome 1 reaches {qm.prices(clipped)[0]:.1f})")
print(f"worst-case loss b(1 - 1/n): n = 2 -> {qm.worst_case_loss(2):.1f}, n = 10 -> {qm.worst_case_loss(10):.1f}")
led.qualitative("quadratic-msr", "the quadratic market maker is 'not very interesting or useful in practice'",
                paper="not very interesting or useful in practice (no reason given)",
                ours=f"prices are linear and leave [0, 1] at |q1 - q2| = 2b, so trades must be truncated "
                     f"(a 500-share buy fills {clipped[0]:.0f}); the market maker then stops quoting",
                holds=bool(not qm.valid([250, 0]) and clipped[0] < 500))
led.compare("quadratic-msr", "worst-case loss b(1 - 1/n), n = 2, b = 100 (Chen and Pennock)",
            paper=50.0, ours=qm.loss([0, 0], [200, 0], 0), atol=1e-9)

# %% [markdown]
# ## Beyond the post: the liquidity-sensitive LMSR
#
# {cite:t}`othman2010` let the liquidity grow with volume, $b(q) = \alpha \sum_i q_i$. Prices then
# sum to more than one (the market maker's commission, or "vig", at most $\alpha n \ln n$), the
# worst-case loss is bounded by the cost of the seed $q^0$, and the price impact of a fixed trade
# shrinks as the market trades. We run the three market makers on *the same* random sequence of
# 10-share trades, with the LMSR and quadratic rule at the same worst-case loss ($b_Q = 2 b \ln 2$)
# and LS-LMSR with a 5 % maximum vig.

# %%
lm = LMSR(b=100.0)
qr = QuadraticMSR(b=2 * 100.0 * np.log(2))
ls = LSLMSR(alpha=LSLMSR.alpha_for_vig(0.05, 2))
print(f"worst-case loss: LMSR {lm.worst_case_loss(2):.2f}, quadratic {qr.worst_case_loss(2):.2f}, "
      f"LS-LMSR from seed (1, 1) {ls.worst_case_loss(2):.2f};  LS-LMSR alpha = {ls.alpha:.5f}")
rng = np.random.default_rng(2006)
trades = np.where(rng.random(300) < 0.65, 0, 1)      # outcome bought at each step (65 % outcome 1)
paths = {}
for name, m, q0 in (("LMSR", lm, np.zeros(2)), ("quadratic", qr, np.zeros(2)), ("LS-LMSR", ls, np.ones(2))):
    q = q0.copy(); p1 = [m.prices(q)[0]]; psum = [m.prices(q).sum()]; cash = 0.0
    for i in trades:
        step = unit(2, int(i), 10.0)
        new = m.clip_trade(q, step) if isinstance(m, QuadraticMSR) else q + step
        cash += m.trade_cost(q, new); q = new
        p1.append(m.prices(q)[0]); psum.append(m.prices(q).sum())
    paths[name] = (np.array(p1), np.array(psum), cash, q)
    print(f"{name:>9}: final price of outcome 1 {p1[-1]:.4f}, sum of prices {psum[-1]:.4f}, "
          f"collected {cash:.2f}, loss if outcome 1 occurs {q[0] - q0[0] - cash:.2f}")
vig_ok = bool(np.all((paths["LS-LMSR"][1] >= 1 - 1e-12) & (paths["LS-LMSR"][1] <= 1 + ls.alpha * 2 * np.log(2) + 1e-12)))
led.qualitative("ls-lmsr", "LS-LMSR prices sum to between 1 and 1 + alpha n ln n (Othman et al.)",
                paper="sum of prices in [1, 1 + alpha n ln n]",
                ours=f"min {paths['LS-LMSR'][1].min():.4f}, max {paths['LS-LMSR'][1].max():.4f} on the trade path",
                holds=vig_ok)
led.qualitative("ls-lmsr", "LS-LMSR loss is bounded by C(q0) (Othman et al.)",
                paper="worst-case loss <= C(q0), arbitrarily small for a small seed",
                ours=f"loss if outcome 1 occurs {paths['LS-LMSR'][3][0] - 1 - paths['LS-LMSR'][2]:.2f} "
                     f"<= C(q0) = {ls.worst_case_loss(2):.2f}",
                holds=bool(paths["LS-LMSR"][3][0] - 1 - paths["LS-LMSR"][2] <= ls.worst_case_loss(2)))

# %% mystnb={"figure": {"caption": "LMSR, the quadratic rule (same worst-case loss) and LS-LMSR (5 % vig) on the same sequence of 10-share trades: price of outcome 1 (left) and the sum of prices, the LS-LMSR vig (right). Beyond the post.", "name": "fig-lmsr-three"}}
fig, (ax1, ax2) = subplots(1, 2)
steps = np.arange(len(trades) + 1)
for name, (p1, psum, _, _) in paths.items():
    ax1.plot(steps, p1, label=name)
    ax2.plot(steps, psum, label=name)
    print_curve(f"{name} price of outcome 1", steps, p1, points=5, xdigits=0)
    print_curve(f"{name} sum of prices", steps, psum, points=3, xdigits=0)
ax1.set(xlabel="trade number", ylabel="price of outcome 1 ($ per share)")
ax2.set(xlabel="trade number", ylabel="sum of prices ($)")
ax1.legend(); ax2.legend()
plt.show()

# %% [markdown]
# The quadratic rule's price reaches 1 within the first half of the sequence; from then on
# every buy of outcome 1 is truncated to nothing, and only the buys of outcome 2 move the price
# (the dips in the second half). The market maker has stopped quoting one side of the market:
# the defect that makes the quadratic rule unattractive. LS-LMSR starts with almost no depth
# (the seed is one share per outcome), so its first trades move the price violently; then its
# liquidity grows with volume.
#
# ### Price impact against volume, at equal worst-case loss
#
# The point of LS-LMSR is that the liquidity $b(q) = \alpha\sum_i q_i$ grows with the volume
# traded. To compare it fairly with LMSR we give both the same worst-case loss: LMSR with
# $b = 100$ can lose $b \ln 2 = 69.31$; LS-LMSR (5 % vig) loses at most $C(q^0)$, and a
# balanced seed $q^0 = (s, s)$ has $C(q^0) = s\,(1 + 2\alpha\ln 2)$, so we choose $s$ to make
# that 69.31 as well. At a balanced state with total volume $V$ (shares outstanding,
# $q = (V/2, V/2)$) we then buy 10 shares of outcome 1 and record the change of its price.

# %% mystnb={"figure": {"caption": "Beyond the post: price impact of buying 10 shares of outcome 1 from a balanced two-outcome market against the volume already traded, for LMSR (b = 100) and LS-LMSR (5 % vig), both with worst-case loss b ln 2 = 69.31 (the comparison Othman et al. make).", "name": "fig-lmsr-ls-impact"}}
L_equal = lm.worst_case_loss(2)
s_seed = L_equal / (1 + 2 * ls.alpha * np.log(2))
print(f"seed s = {s_seed:.3f} shares per outcome: C(q0) = {ls.cost([s_seed, s_seed]):.4f}, "
      f"LMSR b ln 2 = {L_equal:.4f}")
vols = np.geomspace(2 * s_seed, 1e5, 200)
bal = np.stack([vols / 2, vols / 2], axis=1)
imp_lm = np.array([price_impact(lm, q, 0, 10.0) for q in bal])
imp_ls = np.array([price_impact(ls, q, 0, 10.0) for q in bal])
cross = float(vols[np.argmax(imp_ls < imp_lm)])
print(f"LS-LMSR impact below LMSR's from a volume of about {cross:.0f} shares "
      f"(where alpha * V = {ls.alpha * cross:.1f} ~ b = 100)")
print(f"impact x volume for LS-LMSR at the largest volumes: "
      f"{imp_ls[-1] * vols[-1]:.2f}, {imp_ls[-20] * vols[-20]:.2f} (constant: impact ~ 1/V)")
fig, ax = subplots()
ax.loglog(vols, imp_lm, label="LMSR, b = 100")
ax.loglog(vols, imp_ls, label="LS-LMSR, 5 % vig")
ax.axvline(cross, color="k", ls=":", lw=1)
ax.set(xlabel="volume traded, total shares outstanding V (shares)",
       ylabel="price impact of a 10-share buy ($ per share)")
ax.legend()
print_curve("LMSR impact vs V", vols, imp_lm, points=5, xdigits=0, digits=5)
print_curve("LS-LMSR impact vs V", vols, imp_ls, points=5, xdigits=0, digits=5)
led.qualitative("ls-lmsr", "LS-LMSR price impact of a fixed trade shrinks as volume grows; LMSR's does not",
                paper="liquidity b(q) = alpha sum q grows with volume, so a fixed trade moves prices "
                      "less as the market trades (Othman et al.)",
                ours=f"10-share buy at balanced states, equal worst-case loss 69.31: LMSR impact "
                     f"{imp_lm[0]:.4f} at every volume; LS-LMSR {imp_ls[0]:.4f} at V = {vols[0]:.0f} "
                     f"falling to {imp_ls[-1]:.5f} at V = 1e5, below LMSR from V = {cross:.0f}",
                holds=bool(np.all(np.diff(imp_ls) < 0) and np.ptp(imp_lm) < 1e-12 and imp_ls[-1] < imp_lm[-1]))
plt.show()

# %% [markdown]
# At equal worst-case loss LS-LMSR is far *shallower* than LMSR in a thin market (its seed
# gives it almost no liquidity) and far deeper in a thick one: its impact falls like $1/V$,
# and it overtakes LMSR once $\alpha V$ exceeds LMSR's $b$. The price of that adaptivity is the
# vig: at a balanced state each price is $1/n + \alpha \ln n$, so at the margin a trader buying a
# complete set of shares pays $1 + \alpha n \ln n$ per set, 5 % more than the \$1 it is sure to pay.
#
# ## Beyond the post: a market of traders with noisy beliefs
#
# Finally, a market. Outcome 1 occurs with probability 0.7. Each of 200 traders holds a private
# belief, the truth perturbed in log-odds by noise of standard deviation 0.5, and places a limit
# order for up to 10 shares of the outcome she thinks underpriced, at her belief (the closed form
# above). We simulate 2,000 markets per $b$ (seeded) and record the price path and the market
# maker's realised loss, which the $b \ln 2$ bound must cap in every run.

# %%
truth = np.array([0.7, 0.3])
cfg = TraderConfig(n_traders=200, belief_noise=0.5, max_shares=10.0)
b_grid = np.array([5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0])
sims = {b: simulate_belief_traders(LMSR(b), truth, cfg, runs=2000, seed=100 + i) for i, b in enumerate(b_grid)}
rows, settle = [], {}
for b, s in sims.items():
    p_end = s.prices[:, -1, 0]
    med_path = np.median(s.prices[:, :, 0], axis=0)          # median across markets, per trader
    out = np.abs(med_path - truth[0]) > 0.02
    settle[f"b={b:g}"] = int(len(med_path) - np.argmax(out[::-1])) if out.any() else 0
    rows.append([p_end.mean(), np.median(p_end), p_end.std(), s.loss.mean(), s.loss.max(),
                 b * np.log(2), s.loss.mean() / (b * np.log(2))])
print_table([f"b = {b:g}" for b in b_grid],
            ["final p1 mean", "median", "sd", "mean loss", "max loss", "b ln 2", "mean loss / b ln 2"],
            np.array(rows), digits=3)
print("traders until the median price stays within 0.02 of the truth:", settle)
beliefs = draw_beliefs(truth, cfg.belief_noise, 200_000, np.random.default_rng(1))[:, 0]
print(f"one trader's belief in outcome 1: mean {beliefs.mean():.3f}, median {np.median(beliefs):.3f}")
bound_ok = all(s.loss.max() <= b * np.log(2) + 1e-9 for b, s in sims.items())
print("realised loss <= b ln 2 in every run:", bound_ok)

# %% mystnb={"figure": {"caption": "Beyond the post: simulated market of 200 belief traders (truth 0.7): median price path of outcome 1 across 2,000 markets for several b (left) and the market maker's realised loss against b, mean and 95th percentile over 2,000 markets, under the b ln 2 bound (right).", "name": "fig-lmsr-market"}}
fig, (ax1, ax2) = subplots(1, 2)
t = np.arange(cfg.n_traders + 1)
for b in (10.0, 50.0, 200.0, 500.0):
    med_path = np.median(sims[b].prices[:, :, 0], axis=0)
    ax1.plot(t, med_path, label=f"b = {b:g}")
    print_curve(f"median p1 path, b={b:g}", t, med_path, points=5, xdigits=0)
ax1.axhline(0.7, color="k", ls=":", lw=1, label="truth")
ax1.set(xlabel="trader number", ylabel="price of outcome 1 ($ per share)")
ax1.legend()
mean_loss = np.array([sims[b].loss.mean() for b in b_grid])
q95 = np.array([np.quantile(sims[b].loss, 0.95) for b in b_grid])
ax2.loglog(b_grid, mean_loss, "o-", label="mean realised loss")
ax2.loglog(b_grid, q95, "s--", label="95th percentile")
ax2.loglog(b_grid, b_grid * np.log(2), "k-", lw=1, label="bound b ln 2")
ax2.set(xlabel="liquidity parameter b ($)", ylabel="market maker's loss ($)")
ax2.legend()
print_curve("mean loss vs b", b_grid, mean_loss, points=7, xdigits=0, digits=3)
print_curve("95th pct loss vs b", b_grid, q95, points=7, xdigits=0, digits=3)
plt.show()

# %% [markdown]
# The output shows the two sides of the choice of $b$. With small $b$ the price reaches the
# truth within a few traders (the printed count of traders after which the median price across
# markets stays within 0.02 of 0.7), but each market's price jumps with every noisy order and
# ends near the last few traders' beliefs: the final prices are widely spread, and their mean
# sits below 0.7 because a single belief, symmetric around the truth in log-odds, has a mean
# pulled towards 1/2 (the last printed line). With large $b$ each 10-share order
# barely moves the price, so it takes about a hundred traders to get there, but the final
# price is then a tight aggregate of many beliefs, centred on the truth.
#
# The loss the market maker pays for this information grows with $b$, roughly in proportion,
# but on average stays between about 6 % and 12 % of $b \ln 2$ (last column), and the worst of
# 2,000 markets stays below the bound too: the bound is attained only when traders drive the
# market all the way to certainty, which budget-limited traders with noisy beliefs around 0.7
# never do.
#
# ## Reproduction ledger
#
# Every claim of the post, with our value and the verdict. The ledger is saved to
# `reproduction/ledger/pennock2006.json` and feeds the [reproduction report](../reproduction/report).

# %%
led.show()
print(led.summary())
led.save()

# %% [markdown]
# # Multi-agent RL market making: competition without collusion
#
# {cite:t}`marl2025` build a three-layer market of learning agents. At the top, an
# **adversary** sets the order-arrival intensity $\lambda$ and the volatility $\sigma$ of a
# simulated market. In the middle, **agent A** is a market maker trained by PPO
# {cite}`schulman2017` in the market the adversary shapes. At the bottom, three competitors
# are trained against a frozen A:
#
# - **B1** maximises its own profit;
# - **B2** minimises A's profit (a zero-sum reward);
# - **B$^\star$** learns a weight $\omega$ between the two.
#
# The paper's evidence is three tables of agent-, market- and interaction-level metrics
# (Tables 5-7) and the statements of its Section 5 about them. It finds that B2 takes most
# of the order flow, that B$^\star$ settles at $\omega \approx 0.7$ and wins market share
# while hurting its opponent less than B2 does, and that there is no herding except B1
# against itself, and so "no collusion".
#
# We rebuild the market from the authors' public code as a vectorised numpy environment
# (`mmkit.marl`) and rebuild Tables 5-7 in **three tiers**:
#
# 1. **Tier (i), policy-independent numbers.** Price volatility, zero-fill steps, and a lone
#    agent's inventory volatility and market share depend only on the random numbers, so
#    they must match the paper to the printed 3 decimals.
# 2. **Tier (ii), constant-offset surrogates.** Each agent is replaced by constant quote
#    offsets fitted to some of the paper's numbers; the other cells are then predictions.
#    This tier is *calibrated*: it shows that the tables are a readout of mean offsets, it
#    is not evidence that our agents learn what the paper's did.
# 3. **Tier (iii), our PPO agents.** We train the whole chain with several seeds, as well as
#    with the authors' literal settings, and compare the tables and every checkable
#    statement of the paper's text with ours.
#
# Every claim goes to the chapter's ledger with an evidence class: *independent* (computed
# from the model, compared with a printed number), *calibrated* (fitted to the paper),
# *identity* (true by definition or construction) or *extension* (ours, beyond the paper).

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from mmkit.book.ledger import Ledger
from mmkit.book.paths import artifacts_dir
from mmkit.book.plotting import print_curve, print_table, subplots
from mmkit.common.manifest import read_json
from mmkit.marl import ConstantMarket, ConstantQuoter, MarketConfig, simulate
from mmkit.marl import figures as mf
from mmkit.marl.evaluation import PAIRS, SINGLE, run_setting, value
from mmkit.marl.findings import seed_means, text_findings
from mmkit.marl.tables import cells, compare_frame, paper_tables, ses

CFG, ART, led = MarketConfig(), artifacts_dir("marl"), Ledger("marl2025")
PAPER = paper_tables(led.registry["tables"])
S_NAMES, P_NAMES = [n for n, _, _ in SINGLE], [n for n, _, _ in PAIRS]
T6, T7 = P_NAMES[:4], P_NAMES[4:]

# %% [markdown]
# ## The architecture (Figure 1) and the agents' interfaces (Table 1)
#
# The paper's Figure 1 is a diagram of the three layers. We draw it from the code: each box
# lists the role's observation and action dimensions, read from the Gymnasium spaces of
# `mmkit.marl.env`, and the arrows give the training order. A market maker observes its
# inventory, its cash, the mid-price and the time; it acts with a bid and an ask offset
# (B$^\star$ also with $\omega$). The adversary observes its two market parameters and acts
# on them. The cells of the paper's Table 1 did not survive text extraction, so the
# dimensions on the paper's side are those of the authors' public code.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Fig. 1 of {cite}`marl2025`: the three-layer architecture, with each role's observation and action dimensions read from the environment's spaces and the training stages as arrows.", "name": "fig-marl-1"}, "image": {"alt": "Five boxes in three layers: the adversary on top, agent A in the middle, B1, B2 and B-star at the bottom, with arrows from the adversary to A and from A to each B agent."}}
from mmkit.marl.train import STAGES

spaces = mf.role_spaces(CFG)
fig, ax = subplots(width=7.5, height=5.0)
mf.draw_architecture(ax, spaces)
print(spaces)
plt.show()

# %% [markdown]
# The training order is the code's `STAGES`; a later stage loads the frozen policies of the
# earlier ones. Both claims are identities: they check that our code is built as the paper
# describes, not a result.

# %%
b_first = min(STAGES.index(r) for r in ("B1", "B2", "Bstar"))
layered = STAGES.index("adversary") < STAGES.index("A") < b_first
led.record("fig1-layers", holds=layered, ours=" -> ".join(STAGES))
led.record("tab1-spaces", ours=[list(spaces[r]) for r in STAGES])
led.show("Table 1")

# %% [markdown]
# ## The market
#
# One episode has 200 steps of $\Delta t = 0.005$. At each step:
#
# 1. The market makers quote offsets $\delta^b, \delta^a \in [0, 5]$ around the
#    *pre-move* mid.
# 2. The mid moves,
#
#    $$P_{t+1} = P_t + \sigma\sqrt{\Delta t}\,Z_t, \qquad Z_t \sim N(0, 1).$$ (eq-marl-price)
#
# 3. $N_t \sim \text{Poisson}(\lambda\Delta t)$ market orders arrive:
#    $\lfloor N_t/2\rfloor$ buys and $N_t - \lfloor N_t/2\rfloor$ sells.
# 4. Each side's orders are shared out by a multinomial with weights
#
#    $$w(d) = e^{-1.5 d}\,\mathbf 1\{0\le d\le 3.07\},$$ (eq-marl-weight)
#
#    where $d$ is the quote's distance from the *post-move* mid. Each agent gets at most 3
#    fills per side.
#
# The fixed market has $\lambda = 400$ and $\sigma = 1.1$; the adversary chooses
# $\lambda \in [300, 500]$ and $\sigma \in [0.2, 2]$. Two things follow at once:
#
# - **The weight is a relative priority, not a fill probability.** A lone agent whose
#   quote lands in range gets every order, up to the cap.
# - **The sells outnumber the buys.** Whenever $N_t$ is odd there is one more sell than
#   buy, so market makers accumulate inventory at
#   $P(N \text{ odd}) = (1-e^{-4})/2 = 0.4908$ units per step.
#
# The left panel of {numref}`fig-marl-fill` shows the weight {eq}`eq-marl-weight`. The right
# panel shows the market share of agent X against agent Y when both quote symmetric
# offsets. While both quotes stay in range, the share is
#
# $$s_X = \frac{1}{1+e^{1.5(\delta_X-\delta_Y)}}.$$ (eq-marl-share)

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: the fill-priority weight with its cut-off at d_max = 3.07 (left), and the two-agent market share against the offset difference, simulated over 100 episodes (dots) against the closed form (line).", "name": "fig-marl-fill"}, "image": {"alt": "Left: a decaying exponential weight that drops to zero at distance 3.07. Right: a falling logistic curve of market share against offset difference, with simulated dots on the curve."}}
from mmkit.marl import fill_weight

d, dd = np.linspace(-0.5, 4, 451), np.linspace(-1, 1, 5)
pairs = [[ConstantQuoter(2 + x / 2, 2 + x / 2),
          ConstantQuoter(2 - x / 2, 2 - x / 2)] for x in dd]
share = [run_setting(q)[1]["Market_share"].mean[0] for q in pairs]
closed = 1 / (1 + np.exp(1.5 * dd))
fig, (a1, a2) = subplots(1, 2, width=10)
mf.plot_fill(a1, a2, d, fill_weight(d), dd, closed, share, CFG.d_max)
print_table(["closed form", "simulated"], [f"{x:+.2f}" for x in dd],
            np.vstack([closed, share]), digits=3)
plt.show()

# %% [markdown]
# {numref}`fig-marl-paths` shows what a lone agent with in-range quotes experiences. The price
# is a driftless random walk with small steps, $\sigma\sqrt{\Delta t}=0.078$. The
# inventory climbs along the odd-batch ramp, about 98 units per episode. The cumulative PnL
# grows almost linearly, because the agent earns its offset on every fill.
#
# This linear growth explains the paper's Sharpe ratios. The paper's "Sharpe ratio" is
# $\text{mean}_t\,\text{PnL}_t / \text{std}_t\,\text{PnL}_t$ of the *cumulative* PnL path.
# For a straight line from 0 that ratio is $\sqrt 3 = 1.732$, which is why every Sharpe
# ratio in Tables 5-7 lies between 1.64 and 1.86. The metric measures how straight the PnL
# path is, not a risk-adjusted return, so we do not count Sharpe ratios as evidence.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: mid-price paths, the inventory ramp caused by odd order batches, and cumulative mark-to-market PnL of a lone agent quoting (2.588, 2.371) in the fixed market (seeds 0-4; dashed: the mean over 100 seeds; dotted: the ramp 0.4908 t).", "name": "fig-marl-paths"}, "image": {"alt": "Three panels: five wandering price paths; inventory paths rising roughly linearly to about 100 units; PnL paths rising almost linearly."}}
lone = simulate([ConstantQuoter(2.588, 2.371)], range(100))
t = np.arange(1, CFG.n_steps + 1) * CFG.dt
fig, axs = subplots(1, 3, width=13)
mf.plot_paths(axs, lone, t)
print_curve("mean inventory", t, lone.q[..., 0].mean(0), points=5, digits=2)
print_curve("mean PnL", t, lone.pnl[..., 0].mean(0), points=5, digits=2)
plt.show()

# %% [markdown]
# The identity claim below checks that our trained agents' Sharpe ratios sit in the same
# narrow band around $\sqrt 3$ as the paper's (it is recorded with the PPO results).
#
# ## Tier (i): the policy-independent numbers
#
# Price volatility (the std of the price *level* within an episode) and the count of
# zero-arrival steps depend only on the seeds. The authors draw the price and the arrivals
# from two generators seeded with the episode number, episodes 0..99, and report the
# mean ± the sample std over episodes. A lone agent whose quotes stay within [0, 3.07] of
# the post-move mid gets every order up to the cap, so its inventory path, its inventory
# volatility and its market share are fixed by the seed as well.
#
# The paper prints each of these numbers in several columns (price volatility and zero-fill
# steps in all eight fixed-market columns), so each distinct value is one claim here. The
# adversarial columns are matched by a constant market: the zero-fill count pins
# $\lambda = 500$ and $\sigma = 1.453$ reproduces the price volatility. Those two cells are
# therefore *calibrated*; the adversarial inventory volatility and share of A are
# predictions. The criterion is the printed precision, $|\text{ours}-\text{paper}|\le
# 0.0005$, for the mean and the ± alike.

# %%
ADV, IN_RANGE = ConstantMarket(500.0, 1.453), ConstantQuoter(2.5, 2.3)
tier1 = {"fix": run_setting([IN_RANGE])[1],
         "adv": run_setting([IN_RANGE], market=ADV)[1]}
TIER1 = {"pv": "Price_volatility", "zf": "Zero_fill_steps",
         "iv-a": "Inventory_volatility", "share-a": "Market_share"}
for key, m in TIER1.items():
    for tag, s in tier1.items():
        ours = [value(s, m), value(s, m, what="std")]
        led.record(f"t5-{key}-{tag}", ours=ours)
led.show("Table 5")

# %% [markdown]
# All eight reproduce to the printed 3 decimals, means and ± alike.
#
# ### B1's single-agent cells: one bit of B1's policy
#
# B1's inventory volatility and market share in Table 5 are *not* policy-independent,
# although the paper prints them next to A's: B1's shares are 0.002 below A's, and its
# adversarial inventory volatility differs from A's in the third decimal. A fill lost at
# step $\tau$ shifts the rest of the inventory ramp by one unit. That moves an episode's
# inventory volatility for a mid-episode $\tau$, but not at $\tau = 1$, where it shifts
# the whole path. A share gap of 0.002 is 0.8 orders in 400, the expected number of *buy*
# orders in one step, $E\lfloor N/2\rfloor = 0.755$. So we test one-bit hypotheses in
# which B1 quotes constant in-range offsets except that one side sits out of range at the
# start:
#
# 1. **never**: always in range;
# 2. **ask at t = 0**: the ask is out of range at the first step only;
# 3. **ask while flat**: the ask is out of range until B1's first trade, so B1 does not
#    sell short from a flat book;
# 4. **bid while flat**: the same on the bid side.

# %%
from mmkit.marl.analysis import b1_cells

flat8 = b1_cells(ADV)
target = led.paper("t5-b1-flat")
hits = {h: int(np.sum(np.abs(np.subtract(v, target)) < 0.0005))
        for h, v in flat8.items()}
verdict = led.record("t5-b1-flat", ours=flat8["ask while flat"])
pd.Series(hits).to_frame("cells matching the paper (of 8)")

# %% [markdown]
# Only "ask while flat" reproduces all eight printed numbers. "Ask at t = 0" shifts the
# whole inventory path by a constant, so it leaves the inventory volatility unchanged; the
# bid side would cost 0.003 of market share, not 0.002. The paper's B1 did not sell until it
# had bought. A plausible mechanism is the authors' evaluation code, which feeds the
# policies *raw* observations rather than the normalised ones they were trained on: the
# inventory and the cash are then large inputs, and $q = X = 0$ is the one state in which
# both are zero. The hypothesis was chosen because it matches, so the claim is calibrated.

# %% [markdown]
# ## Tier (ii): constant-offset surrogates
#
# The rest of Tables 5-7 follows almost entirely from the agents' *mean* offsets, so we fit
# constant quoters to the paper's numbers:
#
# - **Single agent.** The bid/ask split that gives the paper's aggressiveness is fitted to
#   the paper's mean PnL.
# - **Pair X-Y.** Y's offsets average to Y's aggressiveness. X's offsets differ from Y's by
#   the paper's quote distances, the wider agent wider on both sides (in B1-B$^\star$,
#   B$^\star$'s ask is the wider one). The one free parameter, Y's bid offset, is fitted to
#   Y's mean PnL.
#
# The fit runs once, `python -m mmkit marl-surrogates` (artifact `surrogates.json`); the
# notebook simulates the fitted quoters. The other cells are predictions of a model fitted
# to the same tables, so they are recorded as *calibrated*: a measure of how much of the
# tables the mean offsets explain. A claim is one metric over a table's columns, and it is
# "reproduced" when every column is within two combined standard errors of the two
# 100-episode means.

# %%
from mmkit.marl.analysis import surrogate_summaries

SUR = read_json(ART / "surrogates.json")
sur = surrogate_summaries(SUR)
offsets = pd.DataFrame({n: pd.Series(np.ravel(o)) for n, o in
                        SUR["offsets"].items()}).T.round(3)
offsets.set_axis(["bid X", "ask X", "bid Y", "ask Y"], axis=1)

# %% [markdown]
# The surrogates' Tables 6 and 7 beside the paper's (rows: metrics; X and Y are the two
# agents of a pair):

# %%
from IPython.display import display

for names in (T6[:2], T6[2:]):
    display(compare_frame(PAPER, sur, names, digits=2, label="surr."))

# %%
compare_frame(PAPER, sur, T7, digits=2, label="surr.")

# %% [markdown]
# The claims: a lone agent's PnL spread, and per table the cells that were not fitted
# (X's PnL and aggressiveness, the shares, inventories and interaction metrics).

# %%
SUR_KEYS = {"pnl-x": ("PnL_mean", 0), "share-x": ("Market_share", 0),
            "iv-x": ("Inventory_volatility", 0),
            "iv-y": ("Inventory_volatility", 1),
            "aggr-x": ("Quote_aggressiveness", 0), "spread": ("Avg_spread", 0),
            "jdd": ("Joint_drawdown_ratio", 0),
            "invdiv": ("Inventory_divergence", 0),
            "overlap": ("Fill_overlap_ratio", 0)}
pnl_sd = [value(sur[n], "PnL_mean", what="std") for n in S_NAMES]
led.record("t5-sur-pnl-sd", ours=pnl_sd)
for t, names in (("6", T6), ("7", T7)):
    for key, (m, k) in SUR_KEYS.items():
        sd = np.array([value(sur[n], m, k, "std") for n in names])
        led.record(f"t{t}-sur-{key}", ours=cells(sur, names, m, k), se=sd / 10)
led.show("Table 6")

# %% [markdown]
# Constant offsets get the tables' structure: who wins the order flow and by how much, the
# inventory asymmetries, the joint-drawdown and overlap ratios, typically within a few per
# cent. Most surrogate claims nevertheless *differ*: in each, one or two columns (usually a
# pair with B2, or B1-B1) miss by 3-6 standard errors, and X's aggressiveness, implied by
# the quote distances, misses by many. So **Tables 5-7 are, to first order, a readout of
# the agents' mean offsets through the priority weight {eq}`eq-marl-weight`**, and the
# second order (fluctuating quotes) is visible in the misses. What constant quotes cannot
# produce at all is B1-B1's herding ratio of 0.467: two B1 copies match quotes within 0.01
# on both sides 47 % of the time, which needs time-varying quotes that are nearly
# deterministic.
#
# ## Tier (iii): our PPO agents
#
# ### Protocol, hyper-parameters and compute
#
# The three stages run as the paper describes: the adversary against the benchmark quoter,
# A in the adversary's market, then B1, B2 and B$^\star$ each against a frozen,
# stochastically acting A in the fixed market. The table gives the PPO settings of the
# paper (which gives none), of the authors' public code, and of our two configurations.
# The paper's agents are nearly deterministic (A's aggressiveness varies by only ±0.002
# across episodes), which the authors' settings (action std 1, entropy bonus) do not reach
# in any affordable budget; hence our smaller initial std, no entropy bonus and the larger
# learning rate. B$^\star$'s $\omega$ is a sigmoid on the Gaussian mean of its third action,
# zero-initialised ($\omega_0 = 1/2$), with reward
#
# $$r = \omega R^{\text{self}} - (1-\omega) R^{\text{opp}} - \beta(\omega-\tfrac12)^2,
# \qquad \beta = 10.$$ (eq-marl-bstar)

# %%
from mmkit.marl.train import get_config

CONF = {"authors' code": "authors", "ours, default": "default",
        "ours, long": "long"}
HP = ["learning_rate", "ent_coef", "log_std_init", "n_envs", "n_steps",
      "batch_size", "n_epochs", "gamma", "gae_lambda", "clip_range", "vf_coef"]
hp = pd.DataFrame({k: [str(getattr(get_config(c).ppo, h)) for h in HP]
                   + [str(get_config(c).steps[r]) for r in ("A", "B1")]
                   for k, c in CONF.items()}, index=HP + ["steps A", "steps B"])
hp.insert(0, "paper", "not given")
hp.rename_axis("setting")

# %% [markdown]
# The runs (commands in `artifacts/marl/README.md`; each training is single-threaded and
# bit-reproducible from its seed):
#
# - **default**: five independent chains (base seeds 1,000,000 to 5,000,000) at the full
#   budget: adversary 0.5 million steps, A 3 million, each B 2 million, 9.5 million per
#   chain. These carry every PPO claim, because the spread across seeds is part of the
#   result. Each roll-out collects 50 steps from 32 environments (a quarter of an episode,
#   bootstrapped from the value function), so the 1,600 samples and 48 gradient steps
#   per roll-out are those of the *long* configuration at 2.6 times its speed;
# - **long**: the same budget and settings with 8 environments of 200 steps per roll-out,
#   one chain (seed 123), the agents of our first edition; it serves as a sixth chain
#   from a neighbouring configuration and feeds the diagnostics below that need one set
#   of agents (B1's herding four ways, the adversary's actions, $\omega$'s histogram);
# - **authors**: the authors' settings and example budget (3,200 steps per agent),
#   evaluated their way (sampled actions on raw observations), three seeds.

# %% tags=["remove-output"]
from mmkit.marl.sweep import load_curves, load_results

RES = load_results(ART / "sweep" / "default")
AUTH = load_results(ART / "sweep" / "authors")
DEF = read_json(ART / "eval_protocols.json")
print(len(RES), len(AUTH))

# %%
runs = pd.DataFrame([{"config": r["config"], "seed": r["seed"],
                      "steps": sum(x["timesteps"] for x in r["runs"]) / 1e6,
                      "minutes": sum(x["wall_seconds"] for x in r["runs"]) / 60}
                     for r in RES + AUTH])
per_chain = {"million steps per chain": ("steps", "mean"),
             "training minutes per chain": ("minutes", "mean")}
runs.groupby("config").agg(chains=("seed", "size"), **per_chain).round(
    {"million steps per chain": 3, "training minutes per chain": 1})

# %% [markdown]
# A chain's training minutes are the sum of its five stages, each a single-threaded process
# with a core to itself. The sweep runner (`python -m mmkit marl-sweep --configs default
# --workers 2`) splits every chain into the jobs of its dependency graph (adversary, then
# A, then B1, B2 and B⋆, then the evaluation) and runs them on two worker processes, one
# per core, longest remaining path first: the five adversaries and the five A's, then the
# fifteen B stages side by side ({numref}`fig-marl-schedule`). Each stage draws every
# random number from its chain's base seed and reads only the files of the stage it trains
# against, so the process that runs it does not matter. The agents committed here were
# trained three times: first as five processes each running a whole chain, then twice on
# this schedule (the third time with the leaner PPO code described next), and each rerun
# rebuilt every policy and normalisation file bit for bit (the commits that published them
# change no `.pt` or `.npz` file, only the recorded times). PPO runs as
# `mmkit.marl.ppo.LeanPPO`: SB3's update without its logging side computations, Adam's
# multi-tensor step called directly, and a policy class that computes the Gaussian's
# log-density, entropy and samples by the same tensor operations as `torch.distributions`
# without building its objects; the same seed gives the same parameters as SB3's `PPO`
# with its own policy (tests for every role's network, and a benchmark, compare them).
# An interrupted sweep resumes from its last checkpoints. The authors'
# chains are tiny. The long chain (seed 123) took 21 minutes alone when it was trained
# with our first edition; the same configuration now runs at about 2,100-2,700 steps per
# second on one core (about 70 minutes), a slowdown of the PPO updates as much as of the
# environment that we have not traced.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: the schedule of the default training, five chains on two worker processes (bars: jobs, from their start to their end; the evaluation jobs run last; dotted: the 90-minute target).", "name": "fig-marl-schedule"}, "image": {"alt": "Two horizontal rows of coloured bars: adversary and A jobs first, then many B1, B2 and B-star bars filling both rows, evaluation bars at the end."}}
SCHED = read_json(ART / "sweep" / "default" / "schedule.json")
fig, ax = subplots(1, 1, width=11, height=2.6)
ax.axvline(90, ls=":", color="0.3")
for w, jobs in mf.plot_schedule(ax, SCHED).items():
    print(f"worker {w}:", ", ".join(f"{j} {a:.0f}-{b:.0f}" for j, a, b in jobs))
plt.show()

# %%
wall = SCHED["training_wall_minutes"]
verdict = led.record("x-default-90min", holds=bool(wall < 90),
                     ours=f"{wall:.0f} min for the five default chains on two cores")
took = {}
for j in SCHED["jobs"]:
    if j["job"] != "eval":
        took.setdefault(j["job"], []).append(j["end_s"] - j["start_s"])
spread = max(max(t) / min(t) - 1 for t in took.values())
print(f"training wall time {wall:.1f} min: {90 - wall:+.1f} min to the target "
      f"({(90 - wall) / 90:+.0%})")
print(f"stages of one role differ in duration by up to {spread:.0%}")

# %% [markdown]
# The margin is one measurement on a shared virtual machine whose speed drifts during a
# run: the durations of the five stages of one role (the same work, on the same number of
# steps) spread by the percentage printed above, so a margin below that spread could turn
# into a miss on another run of the same code, and the verdict says no more than that this
# run fitted.

# %% [markdown]
# ### Tables 5-7 across seeds
#
# Each seed's agents are evaluated as the authors evaluate: 100 episodes on seeds 0..99,
# sampled actions (our policies see normalised observations, as in training). A paper cell
# is its mean with the episode std in brackets; ours is the mean over seeds ± the
# half-width of the 95 % t-interval across seeds, with the mean episode std in brackets.
# The across-seed standard error (which contains the episode noise) is what the verdicts
# use; with a handful of seeds it is itself uncertain, so a verdict near the line is
# fragile.

# %%
OURS, SPREAD = seed_means([r["eval"]["sampled-norm"] for r in RES])
for names in (S_NAMES[::2], S_NAMES[1::2]):
    display(compare_frame(PAPER, OURS, names, SPREAD, digits=2))

# %%
for names in (T6[:2], T6[2:]):
    display(compare_frame(PAPER, OURS, names, SPREAD, digits=2))

# %%
compare_frame(PAPER, OURS, T7, SPREAD, digits=2)

# %% [markdown]
# At the full budget our agents are not the paper's either, but they miss in the other
# direction: they are trained further. A alone widens its quotes to about 2.74 (the paper:
# 2.480), keeps 0.995 of the flow (0.997) and earns about 558 (506): a lone market maker's
# best reply is to quote as wide as the fill range allows while its sampled quotes stay
# inside it. B1 alone quotes about 2.29 (2.095). In the pairs the paper's ordering holds
# (B1 out-earns A, B2 takes the flow from A and from B1, B$^\star$ wins against both), but
# our B2 overshoots: it quotes about 0.6 from the mid-price (the paper's B2: 1.48) and takes
# 96 % of A's flow (84 %), and because its reward is A's loss rather than its own profit it
# earns half of what the paper's B2 earns. The claims are one per metric and table, an
# array over the table's columns whose verdict needs every column within two combined
# standard errors. Most numeric PPO claims differ, by many across-seed standard errors, and
# each has its own reason in the ledger; a few now agree (the single agents' shares,
# B$^\star$'s aggressiveness, the joint drawdowns and inventory divergences of Table 7).

# %%
for tag, names in (("fix", S_NAMES[::2]), ("adv", S_NAMES[1::2])):
    for key, m in (("pnl", "PnL_mean"), ("aggr", "Quote_aggressiveness"),
                   ("share", "Market_share")):
        led.record(f"t5-ppo-{key}-{tag}", ours=cells(OURS, names, m),
                   se=ses(SPREAD, names, m))
for key, m in (("zf", "Zero_fill_steps"), ("pv", "Price_volatility")):
    led.record(f"t5-ppo-{key}-adv", ours=cells(OURS, S_NAMES[1:2], m),
               se=ses(SPREAD, S_NAMES[1:2], m))

# %%
PPO_KEYS = {**SUR_KEYS, "pnl-y": ("PnL_mean", 1),
            "aggr-y": ("Quote_aggressiveness", 1),
            "qd-bid": ("Quote_distance_bid", 0),
            "qd-ask": ("Quote_distance_ask", 0),
            "herding": ("Herding_ratio", 0), "omega": ("Mean_omega", 1)}
for t, names in (("6", T6), ("7", T7)):
    for key, (m, k) in PPO_KEYS.items():
        cid = f"t{t}-ppo-{key}"
        sub = ["B1 vs B1"] if key == "herding" else names
        if cid in led.decls:
            led.record(cid, ours=cells(OURS, sub, m, k),
                       se=ses(SPREAD, sub, m, k))
others = [n for n in P_NAMES if n != "B1 vs B1"]
led.record("t67-herding-zero", ours=cells(OURS, others, "Herding_ratio"))
led.record("t67-fill-ratio", ours=cells(OURS, P_NAMES, "Fill_ratio"))
sharpe = np.concatenate([OURS[n]["Sharpe_ratio"].mean for n in OURS])
led.record("sharpe-sqrt3", holds=bool(np.all(np.abs(sharpe - 3**0.5) < 0.15)),
           ours=f"{sharpe.min():.3f} to {sharpe.max():.3f}")
led.show("Table 7")

# %% [markdown]
# ### How much do the seeds disagree?
#
# The quote offsets, which drive every table, land in different places for different
# seeds. The table lists a few headline cells per seed (columns), beside the long run
# (seed 123, the same budget with 8 environments of 200 steps per roll-out) and the paper.

# %%
from mmkit.marl.analysis import cell_table

WHICH = [("A_Fix", "Quote_aggressiveness", 0), ("A vs B2", "Market_share", 1),
         ("A vs Bstar", "Market_share", 1), ("A vs Bstar", "Mean_omega", 1)]
full = {"seed": "long 123", "eval": DEF["protocols"]}
cell_table(RES + [full], "sampled-norm", WHICH, PAPER).round(3)

# %%
agg_se = np.concatenate([SPREAD[n]["Quote_aggressiveness"]["se"]
                         for n in S_NAMES + P_NAMES])
big = float(np.nanmax(agg_se))
verdict = led.record("x-seed-spread", holds=big > 0.01,
                     ours=f"largest s.e. of an aggressiveness cell {big:.3f}")

# %% [markdown]
# ### Learning curves across seeds
#
# {numref}`fig-marl-curves` shows, per roll-out of 1,600 steps, the mean raw return of the
# episodes that ended in it (an episode spans four roll-outs, so one roll-out in four has
# one) and the policy's action std of each market maker across the seeds (line: mean over
# seeds; band: the range). The returns flatten over the last third of each budget (A's
# mean return moves from about 842 at 2 million steps to 842 at 3 million) while the action
# std keeps falling: the policies are still becoming more deterministic when training stops.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: learning curves of the five default chains: mean raw return of the episodes ending in each roll-out (left, mean over the last 10 roll-outs) and action std (right); line: mean over seeds, band: min-max across seeds.", "name": "fig-marl-curves"}, "image": {"alt": "Two panels of learning curves for A, B1, B2 and B-star with shaded bands across seeds: returns rise and flatten; action std falls steadily on a log scale."}}
curves = {r: load_curves(ART / "sweep" / "default", r)
          for r in ("A", "B1", "B2", "Bstar")}
fig, (a1, a2) = subplots(1, 2, width=11)
for r, (x, y) in mf.plot_curves(a1, a2, curves).items():
    print_curve(f"{r} return", x, y, points=4, digits=1)
plt.show()

# %% [markdown]
# ### Budget and evaluation protocol
#
# Every run saves its policies at log-spaced budgets (3,200 steps, the authors' example
# budget, then every factor $\sqrt{10}$). {numref}`fig-marl-budget` evaluates each budget of
# the five default chains four ways: sampled or mean actions, normalised or raw
# observations (the authors' evaluation feeds raw observations to policies trained on
# normalised ones).

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: headline cells against the training budget, one line per evaluation protocol (sampled/mean actions x normalised/raw observations); line: mean over seeds, band: min-max across seeds; dotted: the paper's value.", "name": "fig-marl-budget"}, "image": {"alt": "Three panels against training steps on a log axis: A's aggressiveness alone, B2's market share against A, and B1-B1 herding, with four protocol lines each and the paper's value as a dotted horizontal line."}}
from mmkit.marl.sweep import PROTOCOLS

PANELS = [("A_Fix", "Quote_aggressiveness", 0, "A's aggressiveness, alone"),
          ("A vs B2", "Market_share", 1, "B2's share vs A"),
          ("B1 vs B1", "Herding_ratio", 0, "B1-B1 herding")]
pv = [value(PAPER[n], m, k) for n, m, k, _ in PANELS]
fig, axs = subplots(1, 3, width=13)
lines = mf.plot_budget(axs, RES, PROTOCOLS, PANELS, pv)
for (title, p), (x, y) in lines.items():
    print_curve(f"{title}, {p}", x, y, points=len(x), digits=3)
plt.show()

# %% [markdown]
# Three things stand out. First, the paper's headline cells are crossed on the way, not
# reached at the end: A's offset alone first tightens (about 2.32 at 100k steps) and then
# widens past the paper's 2.480 (about 2.47 at 320k, 2.74 at 3 million), and B2's share
# against A climbs from about one half at 3,200 steps past the paper's 0.836 (between 100k
# and 320k steps) to 0.96. Second, once the policies are nearly deterministic, sampled and
# mean actions give the same cells, but the observations do not: fed raw instead of
# normalised observations, the same B2 keeps only about 0.79 of A's flow at 3 million steps,
# and A quotes about 0.1 tighter. Third, B1-B1 herds only under mean actions, most of all on
# raw observations (0.34-0.67 at every budget), and never with sampled actions (at most
# 0.005): the paper's 0.467 is what a deterministic evaluation gives.
#
# ### The untrained-network hypothesis
#
# A's cells in the paper are suspiciously regular: aggressiveness 2.480 ± 0.002, share
# 0.997, PnL 506.49. An untrained SB3 network fed raw observations saturates its tanh
# layers on the cash input, which grows to thousands within a few steps, and then emits a
# nearly constant action. We evaluate five untrained `MlpPolicy` networks (mean actions, raw
# observations, `python -m mmkit marl-untrained`) as A alone in the fixed market.

# %%
from mmkit.marl.analysis import untrained_test

UM = ["Quote_aggressiveness", "Market_share", "PnL_mean"]
rows = read_json(ART / "untrained.json")["rows"]
a_fix = {m: value(PAPER["A_Fix"], m) for m in UM}
unt, inside = untrained_test(rows, a_fix, UM)
unt.round(3)

# %%
led.record("x-untrained-afix", holds=bool(inside.all()),
           ours=", ".join(f"{m}: {'in' if ok else 'out'}"
                          for m, ok in inside.items()))
inside.to_frame("paper inside the 95 % prediction interval")

# %% [markdown]
# The paper's A alone lies inside the interval spanned by untrained networks in all three
# cells (the verdict is in the ledger). An untrained network, evaluated deterministically on
# raw observations, is indistinguishable from the paper's A. This does not prove that the
# paper's A was untrained, but it shows that Table 5's single-agent numbers carry almost no
# information about learning: any policy that deterministically quotes near 2.5 on both
# sides reproduces them.
#
# ### The authors' literal protocol
#
# Three chains trained with the authors' settings for 3,200 steps per agent, evaluated
# their way (sampled actions on raw observations) and with mean actions on the same raw
# observations (columns: seeds):

# %%
KEYS = [("B1 vs B1", "Herding_ratio", 0), ("A vs B2", "Market_share", 1),
        ("A_Fix", "Market_share", 0), ("A_Fix", "Quote_aggressiveness", 0),
        ("A_Fix", "PnL_mean", 0)]
auth = {p: cell_table(AUTH, p, KEYS, PAPER)
        for p in ("sampled-raw", "mean-raw")}
herd, b2 = (auth["sampled-raw"].iloc[i, :-1].to_numpy() for i in (0, 1))
led.record("x-authors-herding", holds=bool(np.all(herd > 0.3)),
           ours=f"herding {herd.min():.2f} to {herd.max():.2f}")
led.record("x-authors-b2", holds=bool(np.all(b2 > 0.6)),
           ours=f"B2's share {b2.min():.2f} to {b2.max():.2f}")
mh, ms = (auth["mean-raw"].iloc[i, :-1].to_numpy() for i in (0, 2))
ok = bool(np.all(mh > 0.3) & np.all(ms >= 0.99))
led.record("x-authors-mean-raw", holds=ok,
           ours=f"herding {mh.min():.2f}-{mh.max():.2f}, share {ms.min():.3f}")
pd.concat({"sampled": auth["sampled-raw"].iloc[:, :-1],
           "mean": auth["mean-raw"]}, axis=1).round(3)

# %% [markdown]
# After 3,200 steps with the authors' settings the action std is still about 1. Evaluated
# as their code evaluates (sampled actions), A alone keeps only about half of the flow and
# earns about 145, far from the paper's 0.997 and 506, and B1 copies never herd. With mean
# actions the same agents match the paper's A alone, and B1 copies herd at about 0.5 (the
# paper: 0.467). B2 does not dominate in either protocol. So the single-agent cells and
# B1-B1's herding look like *deterministic* evaluations of lightly trained agents, which
# the authors' public code does not do, while B2's dominance needs more training than the
# code's example budget.
#
# ### Where B1-B1's herding comes from
#
# Herding counts the steps at which both quotes of two agents are within 0.01 of each
# other. Two copies of a stochastic policy can only do that often if the sampling noise is
# tiny. With equal mean quotes and independent Gaussian noise of action std $s$, a side
# matches with probability $\operatorname{erf}(0.01/(2\cdot 2.5\,s))$; the paper's 0.467
# needs $s \approx 0.003$. The long run's B1 evaluated four ways:

# %%
ROWS4 = ["Herding_ratio", "Quote_distance_bid", "Quote_distance_ask",
         "PnL_mean"]
diag = pd.DataFrame({p: [DEF["protocols"][p]["B1 vs B1"][m]["mean"][0]
                         for m in ROWS4] for p in PROTOCOLS}, index=ROWS4)
diag["paper"] = [value(PAPER["B1 vs B1"], m) for m in ROWS4]
mr = diag.loc["Herding_ratio", "mean-raw"]
led.record("x-mean-raw-herding", holds=bool(mr > 0.3), ours=f"{mr:.3f}")
diag.round(3)

# %% [markdown]
# Sampled quotes never herd. Mean quotes on raw observations do, about as often as the
# paper's pair, with bid distances of a few hundredths. So the paper's B1-B1 herding reads
# as a B1 that was effectively deterministic at evaluation, not as coordination: the two
# copies share a policy and see similar states.
#
# ### What the adversary learned
#
# The adversary's reward is minus the benchmark quoter's. The benchmark earns roughly its
# half-spread on every fill, so its profit rises with the order intensity and hardly
# depends on $\sigma$: the adversary should push $\lambda$ *down* to 300, and ours does
# ({numref}`fig-marl-adversary`). The paper's adversarial columns, however, fingerprint
# $\lambda$ at the **upper** bound (tier i). The paper's "adversarial" market is a busier
# market, which is why its agents earn more there; ours is a quieter one.

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Not in the paper: the adversary's objective. Left: the benchmark quoter's mean final PnL in a constant market against λ for two σ (100 episodes each); the adversary minimises it. Right: the (λ, σ) actions of the long run's adversary over the 100 A_Adversarial evaluation episodes.", "name": "fig-marl-adversary"}, "image": {"alt": "Left: benchmark PnL rising with lambda, nearly the same for two sigma values. Right: a 2-D histogram of the adversary's actions concentrated at lambda near 300."}}
from mmkit.marl import BenchmarkQuoter

lams, sigs = np.array([300.0, 400.0, 500.0]), [0.2, 2.0]
bench = np.array([[simulate([BenchmarkQuoter()], range(100),
                            market=ConstantMarket(lm, s)).pnl[:, -1, 0].mean()
                   for lm in lams] for s in sigs])
fig, (a1, a2) = subplots(1, 2, width=10)
mf.plot_adversary(a1, a2, lams, sigs, bench, DEF["adversary"])
print_table([f"sigma={s}" for s in sigs], [f"lam={x:.0f}" for x in lams],
            bench, digits=1)
print(f"adversary: mean lambda {DEF['adversary']['lam_mean']:.1f}")
plt.show()

# %% [markdown]
# ### B$^\star$'s $\omega$ and the penalty weight
#
# Since $\omega$ does not move the state, maximising {eq}`eq-marl-bstar` in $\omega$ is a
# one-step problem with solution, clipped to [0, 1],
#
# $$\omega^\star = \tfrac12 + \frac{E[R^{\text{self}} + R^{\text{opp}}]}{2\beta}.$$ (eq-marl-omega)
#
# The paper does not give $\beta$. Its $\omega \approx 0.697$ and per-step PnL rates in
# Table 7 (about 2.85 for B$^\star$, 1.72 for A) imply $\beta \approx 11.6$, and we took
# $\beta = 10$. **That makes "$\omega$ settles near 0.7" circular here**: $\beta$ was chosen
# from the paper's $\omega$, so the $\omega$ claims are recorded as calibrated. What is not
# circular is the dependence on $\beta$ ({numref}`fig-marl-omega`, right: B$^\star$-only
# retrainings of 100k steps against the long run's A, `python -m mmkit marl-beta-sweep`).

# %% tags=["remove-stdout"] mystnb={"figure": {"caption": "Rebuilds Table 7's Mean_omega as a distribution (not in the paper): per-step ω of the long run's B⋆ against A and against B1 (left); the learned mean ω against the penalty weight β in short B⋆-only runs, with the one-step optimum (right).", "name": "fig-marl-omega"}, "image": {"alt": "Left: histograms of omega concentrated between 0.6 and 0.8. Right: learned mean omega falling from about 0.89 to 0.5 as beta rises from 1 to 100 on a log axis, beside a falling theoretical curve."}}
sw = pd.DataFrame(read_json(ART / "beta_sweep" / "beta_sweep.json")["summary"])
pnl = DEF["protocols"]["sampled-norm"]["A vs Bstar"]["PnL_mean"]["mean"]
rate = sum(pnl) * 2 / CFG.n_steps
fig, (a1, a2) = subplots(1, 2, width=10)
mf.plot_omega(a1, a2, DEF["omega_hist"], sw.beta, sw.omega, rate)
print(sw[["beta", "omega", "share_Bstar"]].round(3).to_string(index=False))
plt.show()

# %%
falls = bool(np.all(np.diff(sw.sort_values("beta").omega) <= 0.01))
verdict = led.record("x-omega-beta", holds=falls,
                     ours=f"omega {sw.omega.max():.2f} to {sw.omega.min():.2f}")

# %% [markdown]
# ## The paper's statements, checked
#
# Section 5 of the paper makes 28 checkable statements about its tables. Each is a condition
# on the table cells, evaluated by `mmkit.marl.findings.text_findings` on the paper's own
# tables (does the statement follow from the printed numbers?) and on ours (the mean over
# seeds). A statement that fails on the paper's own tables is contradicted by the paper.

# %%
f_paper, f_ours = text_findings(PAPER), text_findings(OURS)
for cid, (text, holds) in f_ours.items():
    led.record(cid, holds=bool(holds), ours=text)
rows = [r for i in range(1, 7) for r in led.rows(f"Section 5.{i}")]
pd.DataFrame({"statement": [r["quantity"] for r in rows],
              "paper's tables": [f_paper[r["id"]][1] for r in rows],
              "ours": [r["ours"] for r in rows],
              "verdict": [r["verdict"] for r in rows],
              "why": [r["reason"] for r in rows]}).replace(
    {True: "holds", False: "fails"})

# %% [markdown]
# The robustness statements of Section 5.1 fail for our agents for a reason that is not
# about learning: the paper's "adversarial" market has $\lambda$ at its upper bound, ours
# (an adversary that does what its objective asks) at its lower bound, so A and B1 earn
# *less* in ours. The paper's "indirect robustness" of B1 is the busier market, not
# anything B1 learned. Of the pair statements, those about who wins hold for our agents
# (B1 over A, B2 over A and B1, B$^\star$ over both while hurting A less than B2 does,
# combined PnL below the solo baselines), and so do most about quote structure (B2 quotes
# tighter and narrows the spread, B$^\star$ quotes tighter than its opponent, B1-B$^\star$
# quotes closer than A-B$^\star$, the order of the fill overlaps). Three fail: whose
# inventory is calmer in A-B1 (our B1 takes the larger share of the ramp), whether B1
# widens against B2 (ours tightens), and whether B$^\star$ leaves the spread against B1
# unchanged (ours narrows it). "No herding except B1-B1" fails only on its B1-B1 half, for the sampling reason
# above. One statement is contradicted by the paper itself: the general form "combined PnL
# falls in every pair" fails on the paper's own B1-B1 row (441.6 against B1's 437.3 alone);
# the paper states it only for A-B2 and the B$^\star$ pairs, and we record the general form
# as our extension.

# %% [markdown]
# ## Tables 2-4: the metric definitions
#
# Tables 2-4 define the metrics; we implement them as the authors' code does
# (`mmkit.marl.metrics`). Three identities tie our definitions to the printed numbers: the
# ± is the sample std (ddof 1), a pair's average spread is the sum of the two agents'
# aggressiveness (both are means over the same steps), and zero-fill steps equal
# zero-arrival steps.

# %%
zero = np.array([(np.random.default_rng(s).poisson(2.0, 200) == 0).sum()
                 for s in range(100)], dtype=float)
led.record("tab2-sample-std", ours=[round(zero.mean(), 3),
                                    round(zero.std(ddof=1), 3)])
led.record("tab3-zero-fill", ours=round(zero.mean(), 3))
aggr = [cells(OURS, P_NAMES, "Quote_aggressiveness", k) for k in (0, 1)]
gap = np.max(np.abs(cells(OURS, P_NAMES, "Avg_spread") - aggr[0] - aggr[1]))
led.record("tab3-spread-sum", ours=round(float(gap), 6))
INTER = ["Joint_drawdown_ratio", "Herding_ratio", "Inventory_divergence",
         "Quote_distance_bid", "Quote_distance_ask", "Fill_overlap_ratio"]
led.record("tab4-metrics",
           holds=all(m in OURS[n] for n in P_NAMES for m in INTER),
           ours=f"{len(INTER)} metrics in all {len(P_NAMES)} pairs")
led.show("Table 3")

# %% [markdown]
# ## Summary
#
# The environment is exact: every policy-independent number reproduces to the printed
# digits, and B1's single-agent cells need only one bit of its policy. The tables are, to
# first order, a readout of mean quote offsets, which constant-offset surrogates fitted to
# the paper's own numbers recover to a few per cent. Our PPO agents (five chains of 9.5
# million steps) reproduce the paper's competitive ordering, who takes the flow and who
# earns more, and most statements of its Section 5, but few of its numbers: trained that
# far, A and B1 quote wider alone and B2 dominates more than in the paper, and the seeds
# disagree by more than the paper's printed ± suggests. The single-agent cells and
# B1-B1's herding are reproduced instead by *deterministic* evaluation of untrained or
# lightly trained networks on raw observations. The robustness findings of Section 5.1 come
# from an adversarial market at the busiest setting, the opposite of what an adversary
# minimising the benchmark's profit chooses. The verdicts by evidence class:

# %%
led.verdict_table()
led.save()

"""Exact resource accounting.

Every change to an arcology's stock goes through a :class:`Ledger`, which
records it as production, consumption or a transfer. :meth:`Ledger.verify`
checks, per arcology and resource, that

    closing − opening == produced − consumed + transfers_in − transfers_out

and that transfers balance across the world. Stocks are integer milli-units so
the identity is exact.

>>> from tidebreak.strategic.world import World, Arcology
>>> w = World(scenario="t", seed=0)
>>> w.arcologies["a"] = Arcology(id="a", name="A", faction_id="f", node_id="n", population=10)
>>> w.arcologies["b"] = Arcology(id="b", name="B", faction_id="f", node_id="n", population=10)
>>> led = Ledger(w)
>>> led.produce("a", "food", 5000)
>>> led.consume("a", "food", 7000)   # only 5000 available
5000
>>> led.produce("a", "fuel", 100); led.transfer("a", "b", "fuel", 60)
60
>>> led.verify()
>>> w.arcologies["b"].stocks["fuel"]
60
"""

from __future__ import annotations

from collections import defaultdict

from .world import RESOURCES, World


class ConservationError(AssertionError):
    """Raised when stocks changed in a way the ledger did not record."""


FLOW_KINDS = ("produced", "consumed", "transfer_in", "transfer_out")


class Ledger:
    """Records one day's flows; the only code path that writes stocks."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.opening: dict[str, dict[str, int]] = {
            aid: dict(a.stocks) for aid, a in sorted(world.arcologies.items())
        }
        self.flows: dict[tuple[str, str, str], int] = defaultdict(int)
        self.shortfall: dict[tuple[str, str], int] = defaultdict(int)
        self.by_purpose: dict[tuple[str, str, str], int] = defaultdict(int)

    def _stock(self, arcology_id: str) -> dict[str, int]:
        return self.world.arcologies[arcology_id].stocks

    def produce(self, arcology_id: str, resource: str, amount: int, purpose: str = "production") -> None:
        if amount < 0:
            raise ValueError("negative production")
        self._stock(arcology_id)[resource] += amount
        self.flows[(arcology_id, resource, "produced")] += amount
        self.by_purpose[(arcology_id, resource, purpose)] += amount

    def consume(self, arcology_id: str, resource: str, amount: int, purpose: str = "upkeep") -> int:
        """Consume up to ``amount``; returns what was actually taken (never below zero stock)."""
        if amount <= 0:
            return 0
        stock = self._stock(arcology_id)
        taken = min(amount, stock[resource])
        stock[resource] -= taken
        self.flows[(arcology_id, resource, "consumed")] += taken
        self.by_purpose[(arcology_id, resource, purpose)] -= taken
        if taken < amount:
            self.shortfall[(arcology_id, resource)] += amount - taken
        return taken

    def transfer(self, src: str, dst: str, resource: str, amount: int, purpose: str = "trade") -> int:
        """Move up to ``amount`` from ``src`` to ``dst``; returns the amount moved."""
        if amount <= 0 or src == dst:
            return 0
        s = self._stock(src)
        moved = min(amount, s[resource])
        s[resource] -= moved
        self._stock(dst)[resource] += moved
        self.flows[(src, resource, "transfer_out")] += moved
        self.flows[(dst, resource, "transfer_in")] += moved
        self.by_purpose[(src, resource, purpose)] -= moved
        self.by_purpose[(dst, resource, purpose)] += moved
        return moved

    def net(self, arcology_id: str, resource: str) -> int:
        f = self.flows
        return (
            f[(arcology_id, resource, "produced")]
            - f[(arcology_id, resource, "consumed")]
            + f[(arcology_id, resource, "transfer_in")]
            - f[(arcology_id, resource, "transfer_out")]
        )

    def faction_flows(self, faction_id: str) -> dict[str, dict[str, int]]:
        """Per resource: produced, consumed, transfer_in, transfer_out over the faction's arcologies."""
        out = {r: {k: 0 for k in FLOW_KINDS} for r in RESOURCES}
        for aid, arc in sorted(self.world.arcologies.items()):
            if arc.faction_id != faction_id:
                continue
            for r in RESOURCES:
                for k in FLOW_KINDS:
                    out[r][k] += self.flows[(aid, r, k)]
        return out

    def verify(self) -> None:
        """Raise :class:`ConservationError` if any stock moved outside the ledger."""
        if set(self.opening) != set(self.world.arcologies):
            raise ConservationError("arcologies appeared or vanished during the day")
        total_in = total_out = 0
        for aid, arc in sorted(self.world.arcologies.items()):
            for r in RESOURCES:
                closing = arc.stocks[r]
                if closing < 0:
                    raise ConservationError(f"{aid}.{r} negative: {closing}")
                delta = closing - self.opening[aid][r]
                if delta != self.net(aid, r):
                    raise ConservationError(
                        f"{aid}.{r}: stock changed by {delta} but flows say {self.net(aid, r)}"
                    )
                total_in += self.flows[(aid, r, "transfer_in")]
                total_out += self.flows[(aid, r, "transfer_out")]
        if total_in != total_out:
            raise ConservationError(f"transfers do not balance: in {total_in} out {total_out}")

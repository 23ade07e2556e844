"""nianbao simweb: a seeded simulated web of government portals with ground truth."""

from nianbao.simweb.building import build_world
from nianbao.simweb.changes import Changes, ChangingWorld
from nianbao.simweb.conditional import HOST_VALIDATORS, HostValidators
from nianbao.simweb.server import SimServer
from nianbao.simweb.truth import Page, PortalSpec, TruthCell, TruthReport, TruthSection
from nianbao.simweb.world import World

__all__ = [
    "HOST_VALIDATORS",
    "Changes",
    "ChangingWorld",
    "HostValidators",
    "Page",
    "PortalSpec",
    "SimServer",
    "TruthCell",
    "TruthReport",
    "TruthSection",
    "World",
    "build_world",
]

"""What a front-end hands the engine as a reporter's answer: small tagged values, one per
gesture (typed text, a button, a toggle, Done, a shared location, a place button, a file)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """Typed text, exactly as received."""

    text: str


@dataclass(frozen=True)
class Choice:
    """A button with a code: an option, or one of model.UNKNOWN / model.NONE."""

    code: str


@dataclass(frozen=True)
class Toggle:
    """A multi-choice button: adds the code to the pending choices, or removes it."""

    code: str


@dataclass(frozen=True)
class Done:
    """Ends a multi-choice question or the files of a media question."""


# The media question ends with the same gesture as a multi-choice one.
MediaDone = Done


@dataclass(frozen=True)
class Location:
    """A point the reporter shared (WGS 84 degrees)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class PlaceCode:
    """A place button: a gazetteer P-code."""

    pcode: str


@dataclass(frozen=True)
class PlaceText:
    """A place in the reporter's own words, kept without matching: the "keep what I wrote"
    button offered beside the candidates of an ambiguous place. (A front-end can send the
    candidates as a reply to the reporter's message, and read the words back from it.)"""

    text: str


@dataclass(frozen=True)
class MediaAdded:
    """A file received and stored (harmwatch.reports Media.id)."""

    media_id: int


RawAnswer = Text | Choice | Toggle | Done | Location | PlaceCode | PlaceText | MediaAdded

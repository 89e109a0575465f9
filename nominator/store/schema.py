"""The store's tables (SQLAlchemy 2 typed ORM). Alembic migrations in store/migrations own the
schema; this module must describe the head revision exactly (a test compares them)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, str: Text}


class UnitRow(Base):
    """The recommending unit; exactly one row, id 1."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(default="")
    kind: Mapped[str] = mapped_column(String(20), default="region")
    contact: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    allocation: Mapped[dict[str, Any]] = mapped_column(default=dict)  # by kind, or category.level (0006)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class NomineeRow(Base):
    """A nominee of any kind (0006): its kind's key, its field values by field id (a category and
    a level are the values `category` and `level`), attestations, publicity by level, its photo."""

    __tablename__ = "nominee"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attestations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    publicity: Mapped[dict[str, Any]] = mapped_column(default=dict)
    photo_name: Mapped[str] = mapped_column(default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(default="")
    feedback: Mapped[str] = mapped_column(default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PhotoRow(Base):
    """A nominee's photo, kept inside the store so the store file alone is the whole dossier.
    Each content is stored once and shared by everyone it belongs to."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)  # one row per content (0004)


class PhotoVerdictRow(Base):
    """The checker's verdict on a photo (0005): by the photo's SHA-256 and the fingerprint of
    the photo rules it was made under (nominator.domain.photo.rules_fingerprint)."""

    __tablename__ = "photo_verdict"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    rules: Mapped[str] = mapped_column(String(64), primary_key=True)
    verdict: Mapped[dict[str, Any]] = mapped_column()


class MemberRow(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(default="")
    unit_and_title: Mapped[str] = mapped_column(default="")
    role: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReportRow(Base):
    __tablename__ = "report"

    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    sections: Mapped[dict[str, Any]] = mapped_column(default=dict)
    date: Mapped[str] = mapped_column(default="")


class OverrideRow(Base):
    """A warning the clerk has accepted, with the written reason (rules.md: E1 and warnings)."""

    __tablename__ = "override"
    __table_args__ = (UniqueConstraint("target_kind", "target_id", "rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))  # unit, or a nominee's kind
    target_id: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(default="")


class MetaRow(Base):
    """Facts about the file itself (which program version created it), for support questions."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(default="")

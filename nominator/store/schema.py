"""The store's tables (SQLAlchemy 2 typed ORM). Alembic migrations in store/migrations own the
schema; this module must describe the head revision exactly (a test compares them)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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
    allocation_collectives: Mapped[int | None] = mapped_column(Integer)
    allocation_individuals: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PublicityColumns:
    """Publicity (公示) in the nominee's own unit (before 初审) and in the region (before 正式)."""

    unit_publicity_start: Mapped[str] = mapped_column(default="")
    unit_publicity_end: Mapped[str] = mapped_column(default="")
    unit_publicity_result: Mapped[str] = mapped_column(default="")
    region_publicity_start: Mapped[str] = mapped_column(default="")
    region_publicity_end: Mapped[str] = mapped_column(default="")
    region_publicity_result: Mapped[str] = mapped_column(default="")


class CollectiveRow(PublicityColumns, Base):
    __tablename__ = "collective"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(default="")
    level: Mapped[str] = mapped_column(default="")
    nature: Mapped[str] = mapped_column(default="")
    leader: Mapped[str] = mapped_column(default="")
    staff_count: Mapped[int | None] = mapped_column(Integer)
    contact: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    deeds_brief: Mapped[str] = mapped_column(default="")
    deeds_full: Mapped[str] = mapped_column(default="")
    honors: Mapped[str] = mapped_column(default="")
    deputy_bureau_or_above: Mapped[bool] = mapped_column(Boolean, default=False)
    county_government_or_above: Mapped[bool] = mapped_column(Boolean, default=False)
    attestations: Mapped[dict[str, Any]] = mapped_column(default=dict)
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


class IndividualRow(PublicityColumns, Base):
    __tablename__ = "individual"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(default="")
    gender: Mapped[str] = mapped_column(default="")
    ethnicity: Mapped[str] = mapped_column(default="")
    birth_date: Mapped[str] = mapped_column(default="")
    political_status: Mapped[str] = mapped_column(default="")
    education: Mapped[str] = mapped_column(default="")
    work_start: Mapped[str] = mapped_column(default="")
    unit_and_title: Mapped[str] = mapped_column(default="")
    rank: Mapped[str] = mapped_column(default="")
    level: Mapped[str] = mapped_column(default="")
    years_in_field: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(default="")
    resume: Mapped[str] = mapped_column(default="")
    deeds_brief: Mapped[str] = mapped_column(default="")
    deeds_full: Mapped[str] = mapped_column(default="")
    honors: Mapped[str] = mapped_column(default="")
    attestations: Mapped[dict[str, Any]] = mapped_column(default=dict)
    photo_name: Mapped[str] = mapped_column(default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(default="")
    feedback: Mapped[str] = mapped_column(default="")
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)

    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="individual",
        cascade="all, delete-orphan",
        order_by="AssessmentRow.year",
        lazy="selectin",
    )
    photo: Mapped[PhotoRow | None] = relationship(lazy="raise_on_sql")


class AssessmentRow(Base):
    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("individual_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    individual_id: Mapped[int] = mapped_column(ForeignKey("individual.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(default="")

    individual: Mapped[IndividualRow] = relationship(back_populates="assessments")


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
    target_kind: Mapped[str] = mapped_column(String(20))  # unit / collective / individual
    target_id: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(default="")


class MetaRow(Base):
    """Facts about the file itself (which program version created it), for support questions."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(default="")

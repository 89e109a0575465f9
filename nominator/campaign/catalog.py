"""Which campaigns are installed, and finding one by id, by file or by pack.

Shipped campaigns sit in the program's resources/campaigns/ with their templates in
forms/<templates>/; the clerk's own (added from a file or a pack, or made in the campaign editor)
sit in the user's data folder, laid out the same way: campaigns/<id>.toml and forms/<id>/. A store
keeps a copy of its campaign's file and reads it back with `from_text`, so a dossier opened on
another PC follows the same rules.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from nominator.campaign.loader import ID_PATTERN, CampaignFileError, parse_campaign
from nominator.campaign.model import Campaign
from nominator.errors import UserError
from nominator.files import usual_permissions, write_atomically
from nominator.paths import forms_dir, resources_dir, user_data_root

PACK_MAX_BYTES = 50 * 1024 * 1024  # templates are a few hundred kilobytes
PACK_MAX_FILES = 200
TEMPLATE_SUFFIXES = (".docx", ".xlsx")


@dataclass(frozen=True)
class Installed:
    campaign: Campaign
    path: Path
    shipped: bool

    @property
    def origin(self) -> str:
        return "内置" if self.shipped else "已添加"


def shipped_dir() -> Path:
    return resources_dir() / "campaigns"


def user_campaigns_dir() -> Path:
    return user_data_root() / "campaigns"


def user_forms_dir() -> Path:
    return user_data_root() / "forms"


# ---- reading ----------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > 1_000_000:
            raise CampaignFileError(path.name, "文件过大,不是活动规则文件。请确认选择的文件。")
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CampaignFileError(
            path.name, "不是 UTF-8 编码的文本文件。请用记事本“另存为 UTF-8”后重试。"
        ) from None
    except FileNotFoundError:
        raise UserError(f"找不到活动规则文件“{path}”,请检查路径。") from None
    except IsADirectoryError:
        raise UserError(f"“{path}”是文件夹,请选择活动规则文件(.toml)或活动包(.zip)。") from None


def templates_folder(campaign_id: str, templates: str, beside: Path | None = None) -> Path:
    """Where a campaign's templates are: its own forms/<id>/ (beside its file, added, shipped),
    else the template set it names (forms/<templates>/). The first that exists wins."""
    roots = [p for p in (beside, user_forms_dir(), forms_dir()) if p is not None]
    for name in dict.fromkeys((campaign_id, templates)):
        for root in roots:
            candidate = root / name
            if candidate.is_dir():
                return candidate
    return forms_dir() / (templates or campaign_id)


def _parse(text: str, file_name: str, beside: Path | None, home: Path | None = None) -> Campaign:
    # Parse once to learn the id and the template set, then bind the templates' folder.
    probe = parse_campaign(text, file_name=file_name, forms_dir=Path())
    folder = templates_folder(probe.id, probe.templates, beside)
    return dataclasses.replace(parse_campaign(text, file_name=file_name, forms_dir=folder), home=home)


def notice_path(campaign: Campaign) -> Path | None:
    """The notice's own text, shipped beside the campaign file (`notice = "….txt"`), if present."""
    if not campaign.notice:
        return None
    homes = [campaign.home] if campaign.home is not None else []
    entry = find_installed(campaign.id)
    if entry is not None and entry.campaign.home is not None:
        homes.append(entry.campaign.home)
    for home in homes:
        candidate = home / PurePosixPath(campaign.notice).name
        if candidate.is_file():
            return candidate
    return None


def from_text(text: str, *, file_name: str = "推荐库中的活动规则") -> Campaign:
    """A campaign from a store's copy of its file."""
    return _cached_text(text, file_name, str(user_data_root()))


_text_cache: dict[tuple[str, str, str], Campaign] = {}


def _cached_text(text: str, file_name: str, root: str) -> Campaign:
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), file_name, root)
    if key not in _text_cache:
        _text_cache[key] = _parse(text, file_name, None)
    return _text_cache[key]


def load_file(path: Path) -> Campaign:
    """A campaign file anywhere (`--campaign FILE`), or a campaign pack (.zip)."""
    if path.suffix.lower() == ".zip":
        return _load_pack(path)
    text = _read_text(path)
    return _parse(text, path.name, path.parent / "forms", path.parent)


def installed(*, problems: list[str] | None = None) -> list[Installed]:
    """Shipped and added campaigns, newest notice first, examples last. A broken added file is
    skipped (and described in `problems`), never fatal: the others stay usable."""
    files = tuple(
        (path, path.stat().st_mtime_ns, path.stat().st_size)
        for folder in (shipped_dir(), user_campaigns_dir())
        if folder.is_dir()
        for path in sorted(folder.glob("*.toml"))
    )
    key = (str(user_data_root()), files)
    if key not in _installed_cache:
        _installed_cache.clear()
        found: list[str] = []
        _installed_cache[key] = (_scan(found), tuple(found))
    entries, troubles = _installed_cache[key]
    if problems is not None:
        problems.extend(troubles)
    return list(entries)


_installed_cache: dict[object, tuple[tuple[Installed, ...], tuple[str, ...]]] = {}


def _scan(problems: list[str]) -> tuple[Installed, ...]:
    found: dict[str, Installed] = {}
    for folder, shipped in ((shipped_dir(), True), (user_campaigns_dir(), False)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                campaign = _parse(_read_text(path), path.name, None, path.parent)
                if campaign.id != path.stem:
                    raise CampaignFileError(
                        path.name,
                        f"中的编号 id = “{campaign.id}”与文件名不一致,文件名应为“{campaign.id}.toml”。",
                    )
            except UserError as exc:
                if shipped:
                    raise
                problems.append(str(exc))
                continue
            if campaign.id in found:
                problems.append(f"活动“{campaign.id}”与内置活动编号相同,已忽略“{path}”。")
                continue
            found[campaign.id] = Installed(campaign, path, shipped)
    return tuple(
        sorted(
            found.values(),
            key=lambda e: (e.campaign.example, -e.campaign.notice_date.toordinal(), e.campaign.id),
        )
    )


def find_installed(campaign_id: str) -> Installed | None:
    return next((e for e in installed() if e.campaign.id == campaign_id), None)


def default_campaign() -> Campaign:
    """The newest real campaign installed (what a command uses when none is named)."""
    entries = installed()
    real = [e for e in entries if not e.campaign.example] or entries
    if not real:
        raise UserError("程序中没有任何评选活动规则文件,请重新安装推荐材料助手。")
    return real[0].campaign


def load_campaign(campaign_id: str | None = None) -> Campaign:
    """An installed campaign by id (the newest when None)."""
    if campaign_id is None:
        return default_campaign()
    if not ID_PATTERN.fullmatch(campaign_id):
        raise UserError(f"未知的评选活动“{campaign_id}”:活动编号只含小写字母、数字和“-”。")
    entry = find_installed(campaign_id)
    if entry is None:
        known = "、".join(e.campaign.id for e in installed())
        raise UserError(
            f"未知的评选活动“{campaign_id}”:本机没有安装这个活动(已安装:{known})。"
            "如是新活动,请先用“从文件添加活动”或 nominator campaign add 添加它的活动文件。"
        )
    return entry.campaign


def resolve(choice: str | None) -> Campaign:
    """`--campaign ID|FILE`: an installed id, or a campaign file / pack on disk."""
    if choice is None:
        return default_campaign()
    path = Path(choice)
    if path.suffix.lower() in (".toml", ".zip") or os.sep in choice or "/" in choice:
        return load_file(path)
    return load_campaign(choice)


# ---- adding and packing -------------------------------------------------------------------------


def add(path: Path, *, replace: bool = False) -> Campaign:
    """Install a campaign file or pack into the user's campaigns folder (its templates with it)."""
    campaign = load_file(path)
    entry = find_installed(campaign.id)
    if entry is not None and entry.shipped:
        if entry.campaign.text == campaign.text:
            return entry.campaign
        raise UserError(
            f"活动“{campaign.id}”与程序内置的活动编号相同,内容却不同。请在文件中把 id 改成新的编号(如 {campaign.id}-2)后再添加。"
        )
    if entry is not None and not replace and entry.campaign.text != campaign.text:
        raise UserError(f"已添加过编号为“{campaign.id}”的活动。如要用新文件替换它,请确认替换。")
    target_forms = user_forms_dir() / campaign.id
    source_forms = campaign.forms_dir
    user_campaigns_dir().mkdir(parents=True, exist_ok=True)
    own_forms = source_forms.name == campaign.id and source_forms.is_dir() and source_forms != target_forms
    if own_forms:
        _copy_tree_atomically(source_forms, target_forms)
    notice = notice_path(campaign)
    if notice is not None and notice.parent != user_campaigns_dir():
        write_atomically(user_campaigns_dir() / notice.name, notice.read_bytes())
    write_atomically(user_campaigns_dir() / f"{campaign.id}.toml", campaign.text.encode("utf-8"))
    return load_campaign(campaign.id)


def save_user_campaign(text: str, *, base: Campaign | None = None) -> Campaign:
    """Write a campaign made in the editor (checked first); a new id gets a copy of the base's templates."""
    probe = parse_campaign(text, file_name="新活动", forms_dir=Path())
    entry = find_installed(probe.id)
    if entry is not None and entry.shipped:
        raise UserError(f"编号“{probe.id}”已被内置活动使用,请换一个编号。")
    target_forms = user_forms_dir() / probe.id
    if base is not None and not target_forms.is_dir() and base.forms_dir.is_dir():
        _copy_tree_atomically(base.forms_dir, target_forms)
    user_campaigns_dir().mkdir(parents=True, exist_ok=True)
    write_atomically(user_campaigns_dir() / f"{probe.id}.toml", text.encode("utf-8"))
    return load_campaign(probe.id)


def pack(campaign: Campaign, out: Path) -> Path:
    """One zip a colleague can add: <id>.toml and forms/<id>/ with every template."""
    if out.suffix.lower() != ".zip":
        raise UserError(f"活动包应保存为 .zip 文件,当前为“{out.name}”。")
    if not campaign.forms_dir.is_dir():
        raise UserError(f"找不到活动“{campaign.id}”的表格模板文件夹“{campaign.forms_dir}”。")
    fd, tmp = tempfile.mkstemp(prefix=".nominator-", suffix=".zip", dir=out.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{campaign.id}.toml", campaign.text.encode("utf-8"))
            notice = notice_path(campaign)
            if notice is not None:
                archive.write(notice, notice.name)
            for path in sorted(campaign.forms_dir.iterdir()):
                if path.is_file() and path.suffix.lower() in TEMPLATE_SUFFIXES:
                    archive.write(path, f"forms/{campaign.id}/{path.name}")
        usual_permissions(Path(tmp))  # a pack is handed on: not 0600
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _load_pack(path: Path) -> Campaign:
    """A pack is unpacked once into the user's data folder (by content), then read from there."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到活动包“{path}”,请检查路径。") from None
    if len(data) > PACK_MAX_BYTES:
        raise UserError(
            f"活动包“{path.name}”过大(超过 {PACK_MAX_BYTES // 1024 // 1024}MB),不是本程序的活动包。"
        )
    folder = user_data_root() / "packs" / hashlib.sha256(data).hexdigest()[:16]
    if not folder.is_dir():
        _unpack(path, folder)
    tomls = sorted(folder.glob("*.toml"))
    if len(tomls) != 1:
        raise UserError(f"活动包“{path.name}”中应有且只有一个活动规则文件(.toml),实际有 {len(tomls)} 个。")
    text = _read_text(tomls[0])
    return _parse(text, f"{path.name}/{tomls[0].name}", folder / "forms", folder)


def _unpack(path: Path, folder: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > PACK_MAX_FILES or sum(i.file_size for i in infos) > PACK_MAX_BYTES:
                raise UserError(f"活动包“{path.name}”中的文件过多或过大,不是本程序的活动包。")
            staging = Path(tempfile.mkdtemp(prefix=".nominator-pack-", dir=_ensure(folder.parent)))
            try:
                for info in infos:
                    if info.is_dir():
                        continue
                    name = PurePosixPath(info.filename.replace("\\", "/"))
                    allowed = (len(name.parts) == 1 and name.suffix in (".toml", ".txt")) or (
                        len(name.parts) == 3
                        and name.parts[0] == "forms"
                        and name.suffix.lower() in TEMPLATE_SUFFIXES
                    )
                    if not allowed or any(p in ("", ".", "..") for p in name.parts) or ":" in info.filename:
                        raise UserError(
                            f"活动包“{path.name}”中有不应出现的文件“{info.filename}”:活动包只含一个 .toml、"
                            "通知原文(.txt)和 forms/<编号>/ 中的模板。"
                        )
                    target = staging.joinpath(*name.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(info))
                os.replace(staging, folder)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, EOFError, NotImplementedError, ValueError) as exc:
        raise UserError(
            f"活动包“{path.name}”已损坏或不是 zip 文件({type(exc).__name__}),请重新获取。"
        ) from None


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _copy_tree_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nominator-forms-", dir=target.parent))
    try:
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix.lower() in TEMPLATE_SUFFIXES:
                shutil.copyfile(path, staging / path.name)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def template_digests(campaign: Campaign) -> dict[str, str]:
    """SHA-256 of each template in the campaign's folder, by file name (what a store records)."""
    folder = campaign.forms_dir
    if not folder.is_dir():
        return {}
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix.lower() in TEMPLATE_SUFFIXES
    }


def stage_or_fail(campaign: Campaign, stage: str) -> str:
    """A stage id of this campaign, or one Chinese line naming the ones it has."""
    if stage in campaign.stages:
        return stage
    known = "、".join(f"{key}({s.name})" for key, s in campaign.stages.items())
    raise UserError(f"报送阶段“{stage}”不属于活动“{campaign.title}”。可用的阶段:{known}。")
